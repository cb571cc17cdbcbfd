# The log in the journal through its native protocol: each line with
# SYSLOG_IDENTIFIER=APP and FORMATION_PROCESS=web.1, stderr lines at
# PRIORITY=3, the others at 6; and plain lines on stdout when the
# journal's socket cannot be reached.
. /opt/formation/tests/systemd/lib.sh

make_app journal 'web: echo "to stdout $PS"; echo "to stderr $PS" >&2; exec sleep 1000
worker: echo "worker says hi"; exec sleep 1000'
install_unit "$ROOT"
systemctl start "$UNIT" || fail "start exited $?"
inv=$(prop "$UNIT" InvocationID)
field() {	# FIELD MATCH...: FIELD of the matching entries, one per line
	_f=$1
	shift
	journalctl --no-pager -o export _SYSTEMD_INVOCATION_ID="$inv" "$@" |
	    sed -n "s/^$_f=//p"
}
wait_for '[ -n "$(field MESSAGE FORMATION_PROCESS=web.1 PRIORITY=3)" ]' ||
	fail "no stderr line of web.1 at priority 3: $(journalctl -u "$UNIT" -o verbose --no-pager | tail -n 40)"
assert_eq "web.1    | to stderr web.1" \
    "$(field MESSAGE FORMATION_PROCESS=web.1 PRIORITY=3)" "web.1's stderr line"
assert_eq "web.1    | to stdout web.1" \
    "$(field MESSAGE FORMATION_PROCESS=web.1 PRIORITY=6)" "web.1's stdout line"
assert_eq journal "$(field SYSLOG_IDENTIFIER FORMATION_PROCESS=web.1 PRIORITY=3)" \
    "SYSLOG_IDENTIFIER"
wait_for '[ -n "$(field MESSAGE FORMATION_PROCESS=worker.1)" ]' ||
	fail "no line of worker.1"
assert_eq "worker.1 | worker says hi" "$(field MESSAGE FORMATION_PROCESS=worker.1)" \
    "worker.1's line"
# The unit's own filter, as formationd(8) shows it.
journalctl -u "$UNIT" FORMATION_PROCESS=web.1 -o cat --no-pager >/tmp/j.$$
assert_eq 2 "$(wc -l </tmp/j.$$ | tr -d ' ')" "lines of 'journalctl -u $UNIT FORMATION_PROCESS=web.1'"
rm -f /tmp/j.$$
# The daemon's own lines are the app's too, and name no process.
field MESSAGE SYSLOG_IDENTIFIER=journal PRIORITY=6 | grep -q '^system   | web.1 started' ||
	fail "no system line in the journal"
systemctl stop "$UNIT"

# No socket: plain lines on stdout, all the same in the journal.
mkdir -p "$UNITS/$UNIT.d"
printf '[Service]\nInaccessiblePaths=/run/systemd/journal/socket\n' \
    >"$UNITS/$UNIT.d/nosocket.conf"
systemctl daemon-reload
systemctl start "$UNIT" || fail "start without the socket exited $?"
inv=$(prop "$UNIT" InvocationID)
wait_for '[ -n "$(field MESSAGE SYSLOG_IDENTIFIER=formationd | grep "to stderr")" ]' ||
	fail "no plain stderr line: $(journalctl -u "$UNIT" -o cat --no-pager)"
field MESSAGE SYSLOG_IDENTIFIER=formationd | grep -qx 'web.1    | to stdout web.1' ||
	fail "no plain stdout line: $(journalctl -u "$UNIT" -o cat --no-pager)"
[ -z "$(field MESSAGE FORMATION_PROCESS=web.1)" ] ||
	fail "FORMATION_PROCESS= without the socket"
exit 0

# What systemd sets for a service stays out of the release: a restart
# with unchanged files makes no new version, and no process sees
# SYSTEMD_*, RUNTIME_DIRECTORY, STATE_DIRECTORY, MANAGERPID (nor what
# formationd itself uses: NOTIFY_SOCKET, WATCHDOG_*, JOURNAL_STREAM,
# INVOCATION_ID).
. /opt/formation/tests/systemd/lib.sh

# Set to 1 once a release holds only what the app runs with.
ENFORCED=0
WAITING_FOR="a release without the service manager's variables"

make_app release-env 'web: env >env.out; exec sleep 1000'
install_unit "$ROOT"
mkdir -p "$UNITS/$UNIT.d"
printf '[Service]\nStateDirectory=release-env\n' >"$UNITS/$UNIT.d/state.conf"
systemctl daemon-reload
systemctl start "$UNIT" || fail "start exited $?"
v1=$(fm "$UNIT" ps | sed -n 's/^release \(v[0-9]*\).*/\1/p')
systemctl restart "$UNIT" || fail "restart exited $?"
systemctl restart "$UNIT" || fail "restart exited $?"
v3=$(fm "$UNIT" ps | sed -n 's/^release \(v[0-9]*\).*/\1/p')
[ -n "$v1" ] || fail "no release in ps"
[ "$v1" = "$v3" ] || check "two restarts with unchanged files went from $v1 to $v3"

state=$(ls -d /var/lib/release-env/releases "$ROOT/.formation/releases" 2>/dev/null | head -n 1)
wait_for '[ -s "$ROOT/env.out" ]' || fail "web.1 wrote no env.out"
leaked=$(grep -E '^(SYSTEMD_[A-Z_]*|RUNTIME_DIRECTORY|STATE_DIRECTORY|MANAGERPID|NOTIFY_SOCKET|WATCHDOG_USEC|WATCHDOG_PID|JOURNAL_STREAM|INVOCATION_ID)=' \
    "$ROOT/env.out" | cut -d= -f1 | tr '\n' ' ')
[ -z "$leaked" ] || check "web.1 sees $leaked"
# What formationd uses itself never leaked, and is not waiting for that.
echo "$leaked" | grep -qE 'NOTIFY_SOCKET|WATCHDOG|JOURNAL_STREAM|INVOCATION_ID' &&
	fail "web.1 sees formationd's own variables: $leaked"
[ -n "$state" ] || fail "no release history"
exit 0

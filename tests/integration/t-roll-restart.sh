#!/bin/sh
# restart TYPE rolls when the type has more than one instance or a ready
# check: one instance at a time, the next stopped only once the one
# before is ready again, so the type never has none ready;
# --all-at-once stops them all at once, as before.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 2) || skip "no free port"

cat >Procfile <<P
web: exec python3 $TESTS_TOP/tests/integration/readysrv.py tcp
P
cat >formation.ini <<'I'
[process.web]
ready = tcp
I
touch go
start_detached -p "$base" -m web=2
log=.formation/formation.log

# The events since the mark, in order; line PATTERN: the first's number.
events() {
	sed -n "$mark,\$p" "$log" | sed 's/^[0-9:]* system *| //'
}
line() {
	events | grep -n -- "$1" | head -n 1 | cut -d: -f1
}
before() {
	_a=$(line "$1")
	_b=$(line "$2")
	[ -n "$_a" ] && [ -n "$_b" ] && [ "$_a" -lt "$_b" ] ||
	    fail "'$1' (line ${_a:-none}) not before '$2' (line ${_b:-none}):
$(events)"
}
running() {
	ps_json '" ".join(x["name"] for x in d["processes"] if x["state"] == "running")'
}

mark=$(($(wc -l <"$log") + 1))
old2=$(ps_field web.2 pid)
"$FORMATION" restart web >out 2>err || fail "restart: $(cat err)"
assert_eq "restarting 2 processes" "$(cat out)" "restart web"
# While it rolls, one of the two is running, whenever we look.
while [ "$(ps_field web.2 pid)" = "$old2" ] ||
    [ "$(ps_field web.2 state)" != running ]; do
	[ -n "$(running)" ] || fail "no web instance running during the roll"
	[ $((i = ${i:-0} + 1)) -lt 400 ] || fail "the roll did not end"
	sleep 0.05
done
before "web\.1 stopping (SIGTERM, restart requested)" "web\.1 ready (tcp :$base, "
before "web\.1 ready (tcp :$base, " "web\.2 stopping (SIGTERM, restart requested)"
before "web\.2 stopping (SIGTERM, restart requested)" "web\.2 ready (tcp :$((base + 1)), "

# --all-at-once: both stop before either is ready again.
mark=$(($(wc -l <"$log") + 1))
"$FORMATION" restart --all-at-once web >out 2>err ||
    fail "restart --all-at-once: $(cat err)"
assert_eq "restarting 2 processes" "$(cat out)" "restart --all-at-once"
wait_for '[ "$(running)" = "web.1 web.2" ] && [ -n "$(line "web\.2 ready")" ]' ||
    fail "web did not come back: $(events)"
before "web\.2 stopping (SIGTERM, restart requested)" "web\.1 ready"
before "web\.1 stopping (SIGTERM, restart requested)" "web\.2 ready"

# One instance and no check: at once, as it always was.
printf '' >formation.ini
"$FORMATION" reload >/dev/null 2>&1 || fail "reload failed"
"$FORMATION" scale web=1 >/dev/null || fail "scale failed"
wait_for '[ "$(ps_json "len(p)")" = 1 ]' || fail "web.2 stayed"
mark=$(($(wc -l <"$log") + 1))
"$FORMATION" restart web.1 >out 2>err || fail "restart web.1: $(cat err)"
wait_for '[ -n "$(line "web\.1 started")" ]' || fail "web.1 did not restart"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

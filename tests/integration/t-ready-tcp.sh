#!/bin/sh
# ready = tcp: an instance is starting until something accepts on its
# PORT, then running, with "web.1 ready (tcp :PORT, N s)" in the log; one
# with no check is running at once.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 1) || skip "no free port"

cat >Procfile <<P
web: exec python3 $TESTS_TOP/tests/integration/readysrv.py tcp
plain: exec sleep 600
P
cat >formation.ini <<'I'
[process.web]
ready = tcp
I
start_up -p "$base"
wait_for '[ "$(ps_field plain.1 state 2>/dev/null)" = running ]' ||
    fail "plain.1 is not running"
assert_eq starting "$(ps_field web.1 state)" "web.1 before it listens"
"$FORMATION" ps >ps.out || fail "ps failed"
grep -q '^web\.1  *starting ' ps.out || fail "ps: $(cat ps.out)"
assert_no_grep 'web\.1 ready' up.log
touch go
wait_for '[ "$(ps_field web.1 state)" = running ]' ||
    fail "web.1 did not become running once listening"
assert_grep "system *| web\.1 ready (tcp :$base, [0-9]*\.[0-9] s)\$" up.log
# Its listening line came first: ready follows what the process did.
listen=$(grep -n "web\.1 listening port $base" up.log | cut -d: -f1)
ready=$(grep -n "web\.1 ready (tcp" up.log | cut -d: -f1)
[ -n "$listen" ] && [ "$listen" -lt "$ready" ] ||
    fail "ready (line $ready) before listening (line $listen)"
stop_up
assert_no_survivors

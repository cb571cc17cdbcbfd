#!/bin/sh
# up -d on a terminal shows which processes it is still waiting for, on
# one line rewritten in place, with the seconds waited, and clears it
# before it says the formation is up; not on a terminal, nothing of it.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 2) || skip "no free port"

cat >Procfile <<P
web: exec python3 $TESTS_TOP/tests/integration/readysrv.py tcp go.\$PS
P
cat >formation.ini <<'I'
[process.web]
ready = tcp
I
# Each instance is ready once its own file go.web.N exists.
python3 "$TESTS_TOP/tests/integration/ptydrive.py" --out out \
    'expect:waiting for web.1, web.2 to be ready (' \
    'expect:waiting for web.1, web.2 to be ready (' \
    'sh:touch go.web.1' \
    'expect:waiting for web.2 to be ready (' \
    'sh:touch go.web.2' \
    -- "$FORMATION" up -d -p "$base" -m web=2
rc=$?
DAEMON_PID=$(sed -n 's/.*formation is up (pid \([0-9]*\)).*/\1/p' out | tr -d '\r')
[ -n "$DAEMON_PID" ] || fail "up -d said: $(cat -v out)"
assert_eq 0 "$rc" "up -d on a pty: $(cat -v out)"
# The progress line is rewritten in place (\r, erase to the end of the
# line), and erased before the last line: nothing of it is left.
last=$(tail -n 1 out | cat -v)
case $last in
*'^M^[[Kformation is up (pid '*) ;;
*) fail "progress not cleared before the answer: $last" ;;
esac
assert_eq 1 "$(grep -c 'waiting for' out)" "lines of progress (one, rewritten)"
grep -q 'web\.2 to be ready ([1-9][0-9]*s)' out ||
    fail "no seconds counted: $(cat -v out)"
assert_eq running "$(ps_field web.2 state)" "web.2 once up -d returned"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

# Not a terminal: only the answer.
rm -f go.web.1 go.web.2
"$FORMATION" up -d -p "$base" -m web=2 >up-d.out 2>up-d.err &
updpid=$!
wait_for '[ "$(ps_field web.2 state 2>/dev/null)" = starting ]' ||
    fail "web.2 is not starting"
touch go.web.1 go.web.2
wait "$updpid"
assert_eq 0 $? "up -d status: $(cat up-d.err)"
assert_eq "" "$(cat up-d.err)" "up -d stderr, not a terminal"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' up-d.out)
assert_eq 1 "$(wc -l <up-d.out)" "up -d stdout lines: $(cat -v up-d.out)"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

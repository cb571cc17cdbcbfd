#!/bin/sh
# A second up in the same app refuses while the first runs, and leaves the
# first alone. After the daemon is killed with SIGKILL its processes die
# with it, and a new up starts over the stale socket.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: exec sleep 1000
P
start_up
wait_for '[ -n "$(up_pid web.1)" ]' || fail "web.1 did not start"
first=$(up_pid web.1)

timeout 10 "$FORMATION" up >out 2>err
rc=$?
[ "$rc" -ne 0 ] || fail "a second up succeeded"
assert_grep 'a formation is already up here' err
# The first is untouched: still running, and its socket still answers.
kill -0 "$UP_PID" || fail "the first daemon died"
assert_eq "$first" "$(up_pid web.1)" "pid of web.1"
assert_eq 1 "$(up_count "web\.1 started")" "starts of web.1"
timeout 5 "$FORMATION" ps >ps.out 2>&1 || fail "ps: $(cat ps.out)"
assert_grep 'web\.1' ps.out
# up -d refuses the same way, before detaching.
timeout 10 "$FORMATION" up -d >out 2>err
rc=$?
[ "$rc" -ne 0 ] || fail "a second up -d succeeded"
assert_grep 'a formation is already up here' err

# SIGKILL: no chance to clean up. The children die with it.
kill -KILL "$UP_PID"
wait "$UP_PID"
UP_PID=""
wait_for '! kill -0 '"$first"' 2>/dev/null' 5 ||
    fail "web.1 outlived its daemon"
assert_no_survivors
[ -S .formation/formation.sock ] || skip "no stale socket left to test"

mv up.log first.log
start_up
wait_for '[ -n "$(up_pid web.1)" ]' || fail "web.1 did not start again"
timeout 5 "$FORMATION" ps >ps.out 2>&1 || fail "ps: $(cat ps.out)"
assert_grep 'web\.1' ps.out
stop_up
assert_eq 0 "$UP_STATUS" "exit status of up"
assert_no_survivors
exit 0

#!/bin/sh
# A second SIGINT while stopping kills every process at once, without
# waiting for the stop timeout.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
stubborn: trap '' TERM; echo ready; sleep 1000
P
start_up -t 30
wait_for '[ "$(up_count "stubborn\.1 *| ready")" -ge 1 ]' ||
    fail "stubborn.1 did not start"
kill -INT "$UP_PID"
wait_for '[ "$(up_count "stubborn\.1 stopping")" -ge 1 ]' ||
    fail "the first SIGINT did not start the stop"
t0=$(now)
kill -INT "$UP_PID"
wait_for '! kill -0 $UP_PID 2>/dev/null' 5 ||
    fail "a second SIGINT did not end up within 5 s"
took=$(elapsed "$t0")
stop_up
ge 2 "$took" || fail "the second SIGINT took ${took}s"
assert_grep 'system *| SIGINT received again: killing every process$' \
    up.log
assert_grep 'system *| stubborn\.1 killed by SIGKILL (the shell itself)$' up.log
assert_no_grep 'did not stop within' up.log
assert_no_survivors
exit 0

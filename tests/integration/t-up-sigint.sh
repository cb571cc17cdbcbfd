#!/bin/sh
# Ctrl-C: SIGINT to the daemon stops the formation cleanly, and at once
# when the processes honour SIGTERM; up exits 0.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: exec sleep 1000
worker: trap 'echo bye; exit 0' TERM; sleep 1000 & wait
P
start_up -m web=2 -t 30
wait_for '[ "$(up_count " started (pid")" -ge 3 ]' || fail "no start"
wait_for '[ "$(survivors | wc -l)" -ge 5 ]' || fail "not all running"
t0=$(now)
stop_up INT
took=$(elapsed "$t0")
ge 3 "$took" || fail "SIGINT took ${took}s to stop the formation"
assert_eq 0 "$UP_STATUS" "exit status of up"
assert_grep 'system *| SIGINT received: stopping$' up.log
assert_grep 'system *| web\.1 killed by SIGTERM$' up.log
assert_grep 'system *| web\.2 killed by SIGTERM$' up.log
assert_grep 'worker\.1 *| bye$' up.log
assert_grep 'system *| worker\.1 exited with status 0 (the shell.s: that of the last command it ran)$' up.log
assert_no_grep 'SIGKILL' up.log
assert_no_grep 'restarting' up.log
assert_no_survivors

# SIGTERM does the same.
start_up
wait_for '[ "$(survivors | wc -l)" -ge 4 ]' || fail "not all running"
stop_up TERM
assert_eq 0 "$UP_STATUS" "exit status of up"
assert_grep 'system *| SIGTERM received: stopping$' up.log
assert_no_survivors
exit 0

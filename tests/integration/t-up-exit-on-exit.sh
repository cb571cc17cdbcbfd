#!/bin/sh
# up --exit-on-exit: the first process to exit stops the formation, and up
# exits with its status: its code, or 128 + N when killed by signal N.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
first: sleep 0.2; exit 7
other: exec sleep 1000
P
start_up --exit-on-exit
wait_for '! kill -0 $UP_PID 2>/dev/null' || fail "up did not end"
stop_up
assert_eq 7 "$UP_STATUS" "exit status of up"
assert_grep 'system *| first\.1 exited with status 7 (the shell.s: that of the last command it ran)$' up.log
assert_grep 'system *| first\.1 ended the formation (--exit-on-exit)$' up.log
assert_grep 'system *| other\.1 killed by SIGTERM$' up.log
assert_no_grep 'first\.1 restarting' up.log
assert_no_survivors

# Killed by a signal.
cat >Procfile <<'P'
first: sleep 0.2; kill -KILL $$
other: exec sleep 1000
P
start_up --exit-on-exit
wait_for '! kill -0 $UP_PID 2>/dev/null' || fail "up did not end"
stop_up
assert_eq $((128 + 9)) "$UP_STATUS" "exit status of up"
assert_grep 'system *| first\.1 killed by SIGKILL (the shell itself)$' up.log
assert_no_survivors

# A clean exit is status 0, and still ends the formation.
cat >Procfile <<'P'
first: sleep 0.2
other: exec sleep 1000
P
start_up --exit-on-exit
wait_for '! kill -0 $UP_PID 2>/dev/null' || fail "up did not end"
stop_up
assert_eq 0 "$UP_STATUS" "exit status of up"
assert_no_survivors

# The status of the first exit, not of those stopped after it.
cat >Procfile <<'P'
first: sleep 0.2; exit 3
other: trap 'exit 9' TERM; sleep 1000 & wait
P
start_up --exit-on-exit
wait_for '! kill -0 $UP_PID 2>/dev/null' || fail "up did not end"
stop_up
assert_eq 3 "$UP_STATUS" "exit status of up"
assert_grep 'system *| other\.1 exited with status 9 (the shell.s: that of the last command it ran)$' up.log
assert_no_survivors
exit 0

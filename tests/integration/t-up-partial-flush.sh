#!/bin/sh
# A partial line (a prompt) of a process that goes on running is printed
# after a short while, not held until its newline.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
prompt: printf 'password: '; sleep 1000
P
start_up
wait_for '[ "$(up_count "prompt\.1 started")" -ge 1 ]' ||
    fail "prompt.1 did not start"
# 1 s in principle (a partial line waits that long for its end); five
# seconds is plenty.
wait_for '[ "$(up_count "prompt\.1 *| password: $")" -ge 1 ]' 5 ||
    fail "the partial line was not flushed"
stop_up
assert_no_survivors
exit 0

#!/bin/sh
# A process that keeps crashing is restarted at once, then after 1 s, then
# after 2 s: the back-off doubles.
. "$(dirname "$0")/lib.sh"

# Each start prints its own clock, so the gaps are measured where they
# happen, not when the test polls.
cat >Procfile <<'P'
crash: echo "at $(date +%s.%N)"; exit 1
P

start_up
wait_for '[ "$(up_count "crash\.1 *| at ")" -ge 4 ]' 10 ||
    fail "crash.1 was not started four times"
stop_up
assert_no_survivors
assert_grep 'system *| crash\.1 exited with status 1$' up.log
assert_grep 'system *| crash\.1 restarting$' up.log
assert_grep 'system *| crash\.1 restarting in 1s$' up.log
assert_grep 'system *| crash\.1 restarting in 2s$' up.log

set -- $(sed -n 's/^.*crash\.1 *| at //p' up.log | head -n 4)
g1=$(echo "$1 $2" | awk '{ print $2 - $1 }')
g2=$(echo "$2 $3" | awk '{ print $2 - $1 }')
g3=$(echo "$3 $4" | awk '{ print $2 - $1 }')
ge 0.9 "$g1" || fail "first restart after ${g1}s, expected at once"
ge "$g2" 0.9 || fail "second restart after ${g2}s, expected 1s"
ge 1.8 "$g2" || fail "second restart after ${g2}s, expected 1s"
ge "$g3" 1.8 || fail "third restart after ${g3}s, expected 2s"
ge 3.5 "$g3" || fail "third restart after ${g3}s, expected 2s"
exit 0

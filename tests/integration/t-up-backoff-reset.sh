#!/bin/sh
# A process that stayed up 10 s starts its back-off over: after a crash it
# is restarted at once, not after the next step of the back-off.
. "$(dirname "$0")/lib.sh"

# Run 1 and 2 crash at once (the next delay would be 2 s); run 3 stays up
# 10.3 s then crashes; run 4 should follow at once.
cat >Procfile <<'P'
crash: n=$(($(cat runs 2>/dev/null || echo 0) + 1)); echo $n >runs; echo "run $n at $(date +%s.%N)"; [ $n -ne 3 ] || sleep 10.3; exit 1
P
start_up
wait_for '[ "$(up_count "crash\.1 *| run 4 ")" -ge 1 ]' 20 ||
    fail "crash.1 did not run a fourth time"
stop_up
assert_no_survivors
# Up to run 3, the back-off grows.
assert_grep 'system *| crash\.1 restarting in 1s$' up.log
t3=$(sed -n 's/^.*crash\.1 *| run 3 at //p' up.log)
t4=$(sed -n 's/^.*crash\.1 *| run 4 at //p' up.log)
gap=$(echo "$t3 $t4" | awk '{ print $2 - $1 }')
ge "$gap" 10.3 || fail "run 4 came ${gap}s after run 3, before it crashed"
ge 11 "$gap" || fail "run 4 came ${gap}s after run 3: the back-off was kept"
assert_no_grep 'restarting in 2s' up.log
exit 0

#!/bin/sh
# A process that ignores SIGTERM is killed with SIGKILL once the stop
# timeout (-t 1) has passed, and not before; nothing survives.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
stubborn: trap '' TERM; echo ready; sleep 1000
polite: exec sleep 1000
P
start_up -t 1
wait_for '[ "$(up_count "stubborn\.1 *| ready")" -ge 1 ]' ||
    fail "stubborn.1 did not start"
wait_for '[ "$(up_count "polite\.1 started")" -ge 1 ]' ||
    fail "polite.1 did not start"
t0=$(now)
stop_up
took=$(elapsed "$t0")
ge "$took" 1 || fail "stopped after ${took}s, before the 1 s timeout"
ge 5 "$took" || fail "stopped after ${took}s, long after the 1 s timeout"
assert_eq 0 "$UP_STATUS" "exit status of up"
assert_grep 'system *| stubborn\.1 stopping (SIGTERM, shutdown)$' up.log
assert_grep \
    'system *| stubborn\.1 did not stop within 1\.0s: sending SIGKILL$' up.log
assert_grep 'system *| stubborn\.1 killed by SIGKILL (the shell itself)$' up.log
assert_grep 'system *| polite\.1 killed by SIGTERM$' up.log
assert_no_grep 'polite\.1 did not stop' up.log
assert_no_survivors

# A per-type timeout, in formation.ini.
cat >formation.ini <<'P'
[process.stubborn]
timeout = 0.3
P
start_up
wait_for '[ "$(up_count "stubborn\.1 *| ready")" -ge 1 ]' ||
    fail "stubborn.1 did not start"
t0=$(now)
stop_up
took=$(elapsed "$t0")
ge "$took" 0.3 || fail "stopped after ${took}s, before the 0.3 s timeout"
ge 3 "$took" || fail "stopped after ${took}s, long after the 0.3 s timeout"
assert_grep 'stubborn\.1 did not stop within 0\.3s: sending SIGKILL$' up.log
assert_no_survivors
exit 0

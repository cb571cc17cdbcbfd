#!/bin/sh
# A command that cannot be found is reported as such and backs off instead
# of spinning; so is a process that cannot even be started (its working
# directory is gone), with the reason.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
missing: no-such-command-formation-test --flag
P
start_up
t0=$(now)
wait_for '[ "$(up_count "missing\.1 exited")" -ge 1 ]' ||
    fail "missing.1 did not exit"
assert_grep \
    'system *| missing\.1 exited with status 127 (command not found)$' up.log
# The shell's own words come through too.
assert_grep 'missing\.1 *| .*no-such-command-formation-test.*not found' up.log
# Starts at 0 s, 0 s, 1 s, 3 s: at most four in the first three seconds.
while ! ge "$(elapsed "$t0")" 3; do sleep 0.1; done
n=$(up_count "missing\.1 started")
[ "$n" -le 4 ] || fail "missing.1 started $n times in 3 s: it spins"
[ "$n" -ge 2 ] || fail "missing.1 started $n times in 3 s: not restarted"
stop_up
assert_no_survivors

# The app root vanishes under a running formation: the next start fails
# before exec, and says why.
mkdir app
cat >app/Procfile <<'P'
crash: sleep 0.5; exit 1
P
root=$(cd app && pwd -P)
start_up -C app
wait_for '[ "$(up_count "crash\.1 started")" -ge 1 ]' || fail "no start"
rm -rf app
wait_for '[ "$(up_count "crash\.1 failed to start")" -ge 2 ]' ||
    fail "crash.1 did not fail to start twice"
assert_grep "system *| crash\.1 failed to start: cannot change to '$root': No such file or directory\$" up.log
assert_grep 'system *| crash\.1 restarting in [0-9]*s$' up.log
# The failures back off as exits do.
t0=$(now)
while ! ge "$(elapsed "$t0")" 2; do sleep 0.1; done
n=$(up_count "crash\.1 failed to start")
[ "$n" -le 5 ] || fail "crash.1 failed to start $n times: it spins"
stop_up
assert_no_survivors
exit 0

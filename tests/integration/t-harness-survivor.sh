#!/bin/sh
# A process that a test leaves running fails that test, named, even when
# the test itself passes: the cleanup of lib.sh reports it, and the
# runner (tests/run) catches what a test whose cleanup never ran left.
. "$(dirname "$0")/lib.sh"

top=$TESTS_TOP
# An inner test that passes but leaves a sleep behind.
mkdir inner
cat >inner/t-leaves.sh <<EOF2
. "$top/tests/integration/lib.sh"
sleep 1000 &
echo \$! >"$T/leaves.pid"
exit 0
EOF2
TEST_TAG= sh inner/t-leaves.sh >leaves.out 2>&1
rc=$?
assert_eq 1 "$rc" "status of a passing test that left a process"
pid=$(cat leaves.pid)
assert_grep "FAIL: processes survived the test:" leaves.out
assert_grep "pid $pid (sleep): sleep 1000" leaves.out
! alive "$pid" || fail "the survivor $pid was not killed"

# An inner test whose shell is replaced by a program, so no cleanup of
# its own runs: the runner sees what it left.
mkdir -p runner/tests/integration
cp "$top/tests/run" runner/tests/run
cp "$top/tests/integration/lib.sh" runner/tests/integration/
cat >runner/tests/integration/t-exec.sh <<EOF2
. "\$(dirname "\$0")/lib.sh"
sleep 1000 &
echo \$! >"$T/exec.pid"
exec true
EOF2
FORMATION_TEST_LOCK= sh runner/tests/run "$(dirname "$FORMATION")" integration \
    >run.out 2>&1
rc=$?
assert_eq 1 "$rc" "status of the runner"
pid=$(cat exec.pid)
assert_grep "t-exec left processes running:" run.out
assert_grep "pid $pid (sleep): sleep 1000" run.out
assert_grep "^0 passed, 1 failed" run.out
! alive "$pid" || fail "the leftover $pid was not killed"
exit 0

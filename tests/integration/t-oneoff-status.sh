# The CLI exits with the one-off's status: every exit code, 128 + N after
# signal N; and with docker's codes for its own failures: 127 command not
# found, 126 not executable, 125 no daemon (with --daemon, which does not
# run it without one) or the daemon gone.
. "$TESTS_TOP/tests/integration/lib.sh"

echo 'web: exec sleep 1000' >Procfile

# No daemon yet.
"$FORMATION" oneoff --daemon true 2>err
assert_eq 125 $? "status without a daemon"
assert_grep 'no formation is up' err

start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

# Every exit code, in one run of the CLI per code.
i=0
bad=""
while [ $i -le 255 ]; do
	"$FORMATION" oneoff -T sh -c "exit $i"
	rc=$?
	[ $rc -eq $i ] || bad="$bad $i:$rc"
	i=$((i + 1))
done
[ -z "$bad" ] || fail "wrong statuses (expected:got):$bad"

"$FORMATION" oneoff -T 'kill -TERM $$'
assert_eq 143 $? "status after SIGTERM"
"$FORMATION" oneoff -T 'kill -KILL $$'
assert_eq 137 $? "status after SIGKILL"

# An argv: looked up in the release's PATH by the daemon.
"$FORMATION" oneoff -T no-such-command-here arg 2>err
assert_eq 127 $? "status of a missing command"
assert_grep "^formation: command not found: 'no-such-command-here'$" err
printf 'echo hi\n' >script.sh
chmod 644 script.sh
"$FORMATION" oneoff -T ./script.sh arg 2>err
assert_eq 126 $? "status of a file that is not executable"
assert_grep "^formation: cannot execute './script.sh': Permission denied$" err
# A shell command: the shell's own 127.
"$FORMATION" oneoff -T 'no-such-command-here' 2>err
assert_eq 127 $? "status of a missing command under sh -c"
assert_grep 'no-such-command-here' err
assert_grep 'exited with status 127 (command not found)' up.log

# The daemon dies under an attached one-off.
"$FORMATION" oneoff -T sleep 100 2>err &
cli=$!
wait_for '"$FORMATION" ps 2>/dev/null | grep -q "^run\."' ||
    fail "the one-off did not start"
kill -KILL "$UP_PID"
wait "$UP_PID"
UP_PID=""
wait "$cli"
assert_eq 125 $? "status when the daemon is gone"
assert_grep '^formation: lost the connection to formationd$' err
assert_no_survivors

#!/bin/sh
# A process starts clean: no signal blocked or ignored (even when the
# daemon had some ignored), only fds 0-2 open, stdin /dev/null, in the app
# root, its own session, and an environment without the service manager's
# variables nor formation's settings. So does every one-off, in pipe, tty
# and detached mode, whatever the state of the CLI that asked for it.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
probe: exec sleep 1000
P
mkdir notify
# Started in the background, the daemon ignores SIGINT and SIGQUIT; and
# SIGUSR2 and the real-time signal 40 from here.
trap '' USR2 40
export NOTIFY_SOCKET="$T/notify/sock" LISTEN_PID=1 LISTEN_FDS=1 \
    LISTEN_FDNAMES=x JOURNAL_STREAM=1:1 INVOCATION_ID=0123456789abcdef \
    FORMATION_TIMEOUT=5 KEEP_ME=kept
start_up
trap - USR2 40
unset NOTIFY_SOCKET LISTEN_PID LISTEN_FDS LISTEN_FDNAMES JOURNAL_STREAM \
    INVOCATION_ID FORMATION_TIMEOUT KEEP_ME
wait_for '[ -n "$(up_pid probe.1)" ]' || fail "probe.1 did not start"
pid=$(up_pid probe.1)
wait_for '[ "$(cat /proc/$pid/comm)" = sleep ]' || fail "not exec'd"

# The daemon did ignore them: the test means something.
ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$UP_PID/status")
[ "$ign" != 0000000000000000 ] || fail "the daemon ignores no signal"

# clean PID NAME: the state every process and one-off starts with.
clean() {
	assert_eq 0000000000000000 \
	    "$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/$1/status)" \
	    "SigBlk of $2"
	assert_eq 0000000000000000 \
	    "$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$1/status)" \
	    "SigIgn of $2"
	assert_eq "0 1 2" \
	    "$(ls /proc/$1/fd | sort -n | tr '\n' ' ' | sed 's/ $//')" \
	    "open fds of $2"
	assert_eq "$(pwd -P)" "$(readlink /proc/$1/cwd)" \
	    "working directory of $2"
	# Its own session and process group.
	set -- "$1" "$2" $(sed 's/^.*) //' /proc/$1/stat)
	assert_eq "$1 $1" "$5 $6" "process group and session of $2"
	tr '\0' '\n' <"/proc/$1/environ" >"environ.$2"
	for v in NOTIFY_SOCKET LISTEN_PID LISTEN_FDS LISTEN_FDNAMES \
	    JOURNAL_STREAM INVOCATION_ID FORMATION_TIMEOUT CLI_ONLY; do
		assert_no_grep "^$v=" "environ.$2"
	done
	assert_eq "" \
	    "$(grep '^FORMATION_' "environ.$2" | grep -v '^FORMATION_RELEASE=')" \
	    "FORMATION_* variables of $2"
	assert_grep '^KEEP_ME=kept$' "environ.$2"
	assert_grep "^PS=$2\$" "environ.$2"
	assert_grep '^FORMATION_RELEASE=v1$' "environ.$2"
}

clean "$pid" probe.1
assert_eq /dev/null "$(readlink /proc/$pid/fd/0)" "stdin"
case $(readlink /proc/$pid/fd/1) in
pipe:*) ;;
*) fail "stdout is $(readlink /proc/$pid/fd/1), not a pipe" ;;
esac
assert_eq "$(readlink /proc/$pid/fd/1)" "$(readlink /proc/$pid/fd/2)" \
    "stderr and stdout"
assert_grep '^PORT=5000$' environ.probe.1

# One-offs, asked for by a CLI that ignores signals of its own
# and has the service manager's variables: none of it reaches them.
oneoff_pid() {	# run.N: opid gets its pid, once it runs sleep
	wait_for "[ \"\$(cat /proc/\$(ps_field $1 pid)/comm 2>/dev/null)\" = sleep ]" ||
	    fail "$1 did not start"
	opid=$(ps_field "$1" pid)
}
# A subshell: its exec must not replace the test.
cli() (
	trap '' USR2 HUP
	NOTIFY_SOCKET="$T/notify/sock" LISTEN_FDS=1 INVOCATION_ID=0123 \
	    FORMATION_TIMEOUT=5 CLI_ONLY=1 exec "$FORMATION" "$@"
)
cli oneoff -T sleep 1000 </dev/null >pipe.out 2>&1 &
oneoff_pid run.1
run1=$opid
clean "$run1" run.1
assert_eq "/dev/null $T/pipe.out $T/pipe.out" \
    "$(readlink /proc/$run1/fd/0 /proc/$run1/fd/1 /proc/$run1/fd/2 |
    tr '\n' ' ' | sed 's/ $//')" "the fds of run.1: the CLI's own"

cli oneoff -t sleep 1000 </dev/null >tty.out 2>&1 &
oneoff_pid run.2
run2=$opid
clean "$run2" run.2
tty=$(readlink /proc/$run2/fd/0)
case $tty in
/dev/pts/*) ;;
*) fail "stdin of run.2 is $tty, not a pty" ;;
esac
assert_eq "$tty $tty" \
    "$(readlink /proc/$run2/fd/1 /proc/$run2/fd/2 | tr '\n' ' ' |
    sed 's/ $//')" "stdout and stderr of run.2"

cli oneoff -d sleep 1000 >detach.out 2>&1 || fail "oneoff -d failed"
oneoff_pid run.3
run3=$opid
clean "$run3" run.3
assert_eq /dev/null "$(readlink /proc/$run3/fd/0)" "stdin of run.3"
case $(readlink /proc/$run3/fd/1) in
pipe:*) ;;
*) fail "stdout of run.3 is $(readlink /proc/$run3/fd/1), not a pipe" ;;
esac
for f in environ.run.1 environ.run.2 environ.run.3; do
	assert_no_grep '^PORT=' "$f"
done

stop_up
wait
assert_no_survivors
exit 0

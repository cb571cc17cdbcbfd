#!/bin/sh
# A process starts clean: no signal blocked or ignored (even when the
# daemon had some ignored), only fds 0-2 open, stdin /dev/null, in the app
# root, its own session, and an environment without the service manager's
# variables nor formation's settings.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
probe: exec sleep 1000
P
mkdir notify
# Started in the background, the daemon ignores SIGINT and SIGQUIT; and
# SIGUSR2 from here.
trap '' USR2
export NOTIFY_SOCKET="$T/notify/sock" LISTEN_PID=1 LISTEN_FDS=1 \
    LISTEN_FDNAMES=x JOURNAL_STREAM=1:1 INVOCATION_ID=0123456789abcdef \
    FORMATION_TIMEOUT=5 KEEP_ME=kept
start_up
trap - USR2
unset NOTIFY_SOCKET LISTEN_PID LISTEN_FDS LISTEN_FDNAMES JOURNAL_STREAM \
    INVOCATION_ID FORMATION_TIMEOUT KEEP_ME
wait_for '[ -n "$(up_pid probe.1)" ]' || fail "probe.1 did not start"
pid=$(up_pid probe.1)
wait_for '[ "$(cat /proc/$pid/comm)" = sleep ]' || fail "not exec'd"

# The daemon did ignore them: the test means something.
ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$UP_PID/status")
[ "$ign" != 0000000000000000 ] || fail "the daemon ignores no signal"

assert_eq 0000000000000000 \
    "$(sed -n 's/^SigBlk:[[:space:]]*//p' /proc/$pid/status)" "SigBlk"
assert_eq 0000000000000000 \
    "$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$pid/status)" "SigIgn"
assert_eq "0 1 2" "$(ls /proc/$pid/fd | sort -n | tr '\n' ' ' | sed 's/ $//')" \
    "open fds"
assert_eq /dev/null "$(readlink /proc/$pid/fd/0)" "stdin"
case $(readlink /proc/$pid/fd/1) in
pipe:*) ;;
*) fail "stdout is $(readlink /proc/$pid/fd/1), not a pipe" ;;
esac
assert_eq "$(readlink /proc/$pid/fd/1)" "$(readlink /proc/$pid/fd/2)" \
    "stderr and stdout"
assert_eq "$(pwd -P)" "$(readlink /proc/$pid/cwd)" "working directory"
# Its own session and process group.
set -- $(sed 's/^.*) //' /proc/$pid/stat)
assert_eq "$pid $pid" "$3 $4" "process group and session"

tr '\0' '\n' </proc/$pid/environ >environ
for v in NOTIFY_SOCKET LISTEN_PID LISTEN_FDS LISTEN_FDNAMES JOURNAL_STREAM \
    INVOCATION_ID FORMATION_TIMEOUT; do
	assert_no_grep "^$v=" environ
done
assert_eq "" "$(grep '^FORMATION_' environ | grep -v '^FORMATION_RELEASE=')" \
    "FORMATION_* variables"
assert_grep '^KEEP_ME=kept$' environ
assert_grep '^PS=probe\.1$' environ
assert_grep '^PORT=5000$' environ
assert_grep '^FORMATION_RELEASE=v1$' environ
stop_up
assert_no_survivors
exit 0

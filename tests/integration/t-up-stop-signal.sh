#!/bin/sh
# Stop sends the type's stop_signal to the whole process group, and no
# other, and SIGCONT after it, so that a stopped (SIGSTOP) process still
# gets it.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
gentle: trap 'echo "got INT"; stop=1' INT; trap 'echo "got TERM"' TERM; while [ -z "$stop" ]; do sleep 0.1; done; exit 0
frozen: exec sleep 1000
P
cat >formation.ini <<'P'
[process.gentle]
stop_signal = INT
P
start_up -t 20
wait_for '[ -n "$(up_pid gentle.1)" ] && [ -n "$(up_pid frozen.1)" ]' ||
    fail "no start"
wait_for '[ "$(survivors | wc -l)" -ge 4 ]' || fail "not all running"
frozen=$(up_pid frozen.1)
kill -STOP "$frozen"
wait_for '[ "$(sed -n "s/^State:[[:space:]]*\([A-Z]\).*/\1/p" /proc/'"$frozen"'/status)" = T ]' ||
    fail "frozen.1 did not stop"
t0=$(now)
stop_up
took=$(elapsed "$t0")
ge 5 "$took" || fail "the stop took ${took}s: the timeout, not the signals"
assert_grep 'system *| gentle\.1 stopping (SIGINT, shutdown)$' up.log
assert_grep 'gentle\.1 *| got INT$' up.log
# Its stop signal only: not SIGTERM too.
assert_no_grep 'gentle\.1 *| got TERM$' up.log
assert_grep 'system *| gentle\.1 exited with status 0 (the shell.s: that of the last command it ran)$' up.log
assert_grep 'system *| frozen\.1 killed by SIGTERM$' up.log
assert_no_grep 'SIGKILL' up.log
assert_no_survivors
exit 0

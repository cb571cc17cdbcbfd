#!/bin/sh
# When the reader of the log goes away (up | head), the daemon keeps
# supervising: the processes run on, the socket answers, and down stops
# everything.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
talker: while :; do echo chatter; sleep 0.05; done
quiet: exec sleep 1000
P
mkfifo out.fifo
head -n 3 <out.fifo >head.out &
HEAD_PID=$!
"$FORMATION" up >out.fifo 2>err &
UP_PID=$!
wait "$HEAD_PID"
assert_eq 3 "$(wc -l <head.out)" "lines read"
# Well after the pipe broke, everything still runs.
wait_for '[ "$(survivors | wc -l)" -ge 3 ]' || fail "not all running"
quiet=$(for p in $(survivors); do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] &&
	    [ "$(sed 's/^.*) [A-Z] \([0-9]*\).*/\1/' /proc/$p/stat)" = "$UP_PID" ] &&
	    echo "$p"
done)
[ -n "$quiet" ] || fail "quiet.1 is not running"
t0=$(now)
while ! ge "$(elapsed "$t0")" 1; do
	kill -0 "$UP_PID" 2>/dev/null || fail "the daemon died with its reader"
	sleep 0.1
done
kill -0 "$quiet" || fail "quiet.1 died with the reader"
out=$(timeout 5 "$FORMATION" ps 2>&1) || fail "ps: $out"
echo "$out" | grep -q 'talker\.1 *running' || fail "ps: $out"
timeout 20 "$FORMATION" down >down.out 2>&1 || fail "down: $(cat down.out)"
wait_for '! kill -0 $UP_PID 2>/dev/null' || fail "the daemon did not end"
stop_up
assert_eq 0 "$UP_STATUS" "exit status of up"
assert_no_survivors
exit 0

#!/bin/sh
# The daemon is told to stop while the reader of its output is stopped
# (SIGSTOP, as less at a prompt or a terminal after Ctrl-S) with a full
# queue: it stops its processes, waits 3 s for the reader to take its last
# words, then exits all the same rather than never.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
talk: exec yes 'all work and no play makes jack a dull boy'
P
mkfifo out.fifo
cat <out.fifo >/dev/null &
READER=$!
"$FORMATION" up -t 1 >out.fifo 2>&1 &
UP_PID=$!
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"
wait_for '[ "$(ps_field talk.1 pid)" != None ]' || fail "talk.1 did not start"
talk=$(ps_field talk.1 pid)
kill -STOP "$READER"
# The queue is full once the daemon stops reading, and yes blocks.
wait_for 'grep -q pipe_write /proc/$talk/wchan' 10 ||
    fail "yes never blocked: $(cat /proc/$talk/wchan)"

t0=$(now)
kill -TERM "$UP_PID"
wait_for "! kill -0 $UP_PID 2>/dev/null" 10 ||
    fail "the daemon did not exit while its reader was stopped"
took=$(elapsed "$t0")
wait "$UP_PID"
UP_STATUS=$?
UP_PID=""
echo "exited ${took}s after SIGTERM, its reader stopped"
assert_eq 0 "$UP_STATUS" "exit status of up"
ge "$took" 2.5 || fail "exited after ${took}s: the last words had no chance"
ge 6 "$took" || fail "exited after ${took}s, not 3 s"
kill -CONT "$READER"
wait "$READER"
assert_no_survivors
exit 0

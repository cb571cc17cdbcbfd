#!/bin/sh
# A logs -f that falls behind is not dropped: while the daemon cannot
# queue more for it, it counts what it does not send, and once the
# follower has caught up it gets a marker line with that count and the
# lines again. Every line is either shown or counted. The follower ends
# with status 0 when the formation goes down, and with a message and
# status 1 when formationd goes away without a word.
. "$(dirname "$0")/lib.sh"

n=100000
sanitized && n=30000
# Lines of 100 bytes or so, numbered per instance.
cat >Procfile <<P
w: echo "ready \$PS"; while [ ! -e \$GO ]; do sleep 0.05; done; awk -v ps=\$PS 'BEGIN { for (i = 1; i <= $n; i++) printf "%s %d %s\n", ps, i, "................................................................................" }'; echo "done \$PS"; : >\$GO.done.\$PS; while [ ! -e \$GO.2 ]; do sleep 0.05; done; echo "after \$PS"; exec sleep 600
P
echo "GO=$T/go" >.env
start_detached -m w=4

"$FORMATION" logs -f -n 1000 w >follow.out 2>follow.err &
FOLLOW=$!
wait_for '[ "$(grep -c "| ready w\." follow.out)" -eq 4 ]' 10 ||
    fail "the follower did not start: $(cat follow.out follow.err)"
# The follower stops reading, as a terminal scrolled back or a pager does,
# and the writers write 40 MiB or so.
kill -STOP $FOLLOW
touch go
wait_for '[ "$(ls go.done.* 2>/dev/null | wc -l)" -eq 4 ]' 60 ||
    fail "the writers did not finish"
# It reads again: once it has caught up it is told what it missed, and
# the next lines come.
kill -CONT $FOLLOW
wait_for 'grep -q "^formation: logs: fell behind" follow.out' 30 ||
    fail "no marker: $(tail -n 3 follow.out; cat follow.err)"
touch go.2
wait_for '[ "$(grep -c "| after w\." follow.out)" -eq 4 ]' 30 ||
    fail "the follower did not go on: $(tail -n 3 follow.out; cat follow.err)"
kill -0 $FOLLOW || fail "the follower is gone"

grep -q '^formation: logs: fell behind; [0-9][0-9]* lines skipped$' \
    follow.out || fail "no marker: $(grep -v ' w\.[0-9] [0-9]' follow.out | head)"
python3 - follow.out 4 $n <<'PY' || fail "lines neither shown nor counted"
import re, sys
out, k, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
shown, skipped, markers = 0, 0, 0
last = {}
for line in open(out):
    m = re.match(r"formation: logs: fell behind; (\d+) lines skipped$", line)
    if m:
        skipped += int(m.group(1))
        markers += 1
        continue
    if re.search(r"\| done w\.\d$", line):
        shown += 1
        continue
    m = re.search(r"\| (w\.\d) (\d+) \.+$", line)
    if m:
        shown += 1
        i = int(m.group(2))
        assert i > last.get(m.group(1), 0), "out of order: %r" % line
        last[m.group(1)] = i
print("shown %d, skipped %d in %d markers, of %d" %
      (shown, skipped, markers, k * n + k))
assert shown + skipped == k * n + k
assert shown > 0 and skipped > 0
PY
assert_eq "" "$(cat follow.err)" "the follower's stderr"

# The formation goes down: the follower gets the end, and status 0.
"$FORMATION" down >/dev/null || fail "down failed"
wait_for "! kill -0 $FOLLOW 2>/dev/null" 10 || fail "logs -f did not end"
wait $FOLLOW
assert_eq 0 $? "logs -f status after down"
assert_eq "" "$(cat follow.err)" "the follower's stderr after down"
DAEMON_PID=""

# formationd killed: the follower says so, with status 1.
printf 'web: exec sleep 600\n' >Procfile
start_detached
"$FORMATION" logs -f >follow2.out 2>follow2.err &
FOLLOW=$!
wait_for 'grep -q "web\.1 started" follow2.out' 10 ||
    fail "the second follower did not start"
kill -KILL $DAEMON_PID
wait_for "! kill -0 $FOLLOW 2>/dev/null" 10 ||
    fail "logs -f outlived formationd"
wait $FOLLOW
assert_eq 1 $? "logs -f status after formationd was killed"
assert_grep '^formation: logs: formationd went away' follow2.err
for p in $(survivors); do
	grep -q '^sleep' /proc/$p/cmdline 2>/dev/null && kill $p
done
DAEMON_PID=""
exit 0

#!/bin/sh
# The reader of the daemon's output stops (SIGSTOP) for 10 s while three
# processes write as fast as they can: the writers block on their pipes,
# the daemon does not. Each ps answers within 1 s (2 s under ASan): a
# daemon held by the reader would answer only after the 10 s stall, and
# a tighter bound measures the machine's load, not the daemon. The
# daemon's memory stays bounded (RSS < 30 MiB; under ASan, < 30 MiB
# more than before the stall), and once the reader goes on every line
# arrives, once, in order, for each writer.
. "$(dirname "$0")/lib.sh"

lines=10000
cat >gen.awk <<'P'
BEGIN {
	for (i = 0; i < n; i++)
		printf "%s %06d %0990d\n", tag, i, i
}
P
# The writers start when told to, once the reader is stopped.
for tag in one two three; do
	echo "$tag: while [ ! -e go ]; do sleep 0.05; done;" \
	    "awk -v tag=$(echo $tag | tr a-z A-Z) -v n=$lines -f gen.awk;" \
	    "echo done; exec sleep 1000"
done >Procfile
mkfifo out.fifo
cat <out.fifo >big.log &
READER=$!
"$FORMATION" up >out.fifo 2>&1 &
UP_PID=$!

wait_for 'grep -q "three\.1 started" big.log 2>/dev/null' ||
    fail "no output read"
rss0=$(rss_kb "$UP_PID")
kill -STOP "$READER"
touch go
bound=1000
limit=$((30 * 1024))
if sanitized; then
	bound=2000
	limit=$((rss0 + 30 * 1024))
fi

t0=$(now)
max=0
maxrss=0
samples=0
while ! ge "$(elapsed "$t0")" 10; do
	s=$(date +%s%N)
	"$FORMATION" ps >ps.out 2>&1 || fail "ps failed: $(cat ps.out)"
	ms=$(( ($(date +%s%N) - s) / 1000000 ))
	grep -q '^three\.1 ' ps.out || fail "ps: $(cat ps.out)"
	[ "$ms" -gt "$max" ] && max=$ms
	rss=$(rss_kb "$UP_PID")
	[ "$rss" -gt "$maxrss" ] && maxrss=$rss
	samples=$((samples + 1))
	[ "$ms" -le "$bound" ] || {
		kill -CONT "$READER"
		fail "ps took ${ms} ms while the reader slept"
	}
	[ "$rss" -lt "$limit" ] || fail "the daemon's RSS reached ${rss} KiB"
	sleep 0.2
done
echo "reader stopped 10 s: $samples ps, slowest ${max} ms; daemon RSS" \
    "${rss0} KiB before, ${maxrss} KiB at most"
# The writers are blocked, not done: the stall meant something.
writers=0
for p in $(survivors); do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = awk ] && writers=$((writers + 1))
done
assert_eq 3 "$writers" "writers still blocked"

kill -CONT "$READER"
wait_for '[ "$(grep -c "| done$" big.log)" -ge 3 ]' 60 ||
    fail "the writers did not finish once read"
stop_up
wait "$READER"
assert_no_survivors
awk -v lines=$lines '
!/^[0-9:]* (one|two|three)\.1 *\| / { next }
{
	text = substr($0, index($0, "| ") + 2)
	if (text == "done")
		next
	split($2, name, ".")
	tag = toupper(name[1])
	i = seen[tag]++
	if (text != sprintf("%s %06d %0990d", tag, i, i)) {
		printf "bad line %d: %.60s...\n", NR, text
		if (++bad > 5)
			exit 1
	}
}
END {
	if (seen["ONE"] != lines || seen["TWO"] != lines ||
	    seen["THREE"] != lines) {
		printf "lines: ONE %d, TWO %d, THREE %d\n", seen["ONE"],
		    seen["TWO"], seen["THREE"]
		exit 1
	}
	exit bad > 0
}' big.log || fail "torn, lost or reordered lines"
exit 0

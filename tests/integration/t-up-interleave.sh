#!/bin/sh
# Two processes writing long lines at once: every line comes out whole,
# under its own name, and each process's lines in order.
. "$(dirname "$0")/lib.sh"

# 20,000 lines of 1,000 bytes each: "<tag> <seq> " and a filler of one
# letter that changes with the line. Written three lines at a time: a
# writer that stops for 100 ms inside a line has that partial line
# flushed, by design, and a busy machine can stop awk for that long
# between two writes of its own buffer. The daemon still has to join
# lines cut by its reads whenever more than one read is waiting.
cat >gen.awk <<'P'
BEGIN {
	for (i = 0; i < 20000; i++) {
		c = substr("abcdefghijklmnopqrstuvwxyz", i % 26 + 1, 1)
		s = sprintf("%s %06d ", tag, i)
		while (length(s) < 1000)
			s = s c
		print s
		if (i % 3 == 2)
			fflush()
	}
}
P
cat >Procfile <<'P'
one: awk -v tag=ONE -f gen.awk; echo done; exec sleep 1000
two: awk -v tag=TWO -f gen.awk; echo done; exec sleep 1000
P
start_up
wait_for '[ "$(up_count "| done$")" -ge 2 ]' 60 ||
    fail "the processes did not finish writing"
stop_up
assert_no_survivors
# Too big for fail() to show.
mv up.log big.log

# Check every line of one.1 and two.1: its tag, its sequence number, its
# filler, its length.
awk '
/^[0-9:]* one\.1 *\| / { tag = "ONE"; n = 0 }
/^[0-9:]* two\.1 *\| / { tag = "TWO"; n = 1 }
!/^[0-9:]* (one|two)\.1 *\| / { next }
{
	text = substr($0, index($0, "| ") + 2)
	if (text == "done")
		next
	i = seen[n]++
	c = substr("abcdefghijklmnopqrstuvwxyz", i % 26 + 1, 1)
	want = sprintf("%s %06d ", tag, i)
	while (length(want) < 1000)
		want = want c
	if (text != want) {
		printf "bad line %d of %s: %.60s...\n", NR, tag, text
		bad++
		if (bad > 5)
			exit 1
	}
}
END {
	if (seen[0] != 20000 || seen[1] != 20000) {
		printf "lines: ONE %d, TWO %d, expected 20000 each\n",
		    seen[0], seen[1]
		exit 1
	}
	exit bad > 0
}' big.log || fail "torn, lost or reordered lines"
# The two really ran at once: their lines alternate somewhere.
switches=$(awk '/^[0-9:]* (one|two)\.1 *\| (ONE|TWO) / {
	n = ($2 == "one.1"); if (NR > 1 && n != last) s++; last = n }
	END { print s + 0 }' big.log)
[ "$switches" -ge 2 ] || skip "the two writers did not overlap"
exit 0

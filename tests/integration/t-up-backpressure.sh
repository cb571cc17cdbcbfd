#!/bin/sh
# A reader that stops reading the daemon's output stops the children
# (their pipes fill), not the daemon: the control socket still answers,
# and once the reader goes on, every line arrives whole and in order.
. "$(dirname "$0")/lib.sh"

cat >gen.awk <<'P'
BEGIN {
	for (i = 0; i < 20000; i++)
		printf "%s %06d %0990d\n", tag, i, i
}
P
cat >Procfile <<'P'
one: awk -v tag=ONE -f gen.awk; echo done; exec sleep 1000
two: awk -v tag=TWO -f gen.awk; echo done; exec sleep 1000
P
# The reader holds the pipe open and reads nothing until told to.
mkfifo out.fifo
{
	while [ ! -e go ]; do sleep 0.05; done
	exec cat
} <out.fifo >big.log &
READER=$!
"$FORMATION" up >out.fifo 2>&1 &
UP_PID=$!

# 40 MB do not fit in a pipe and the daemon's 1 MiB queue: the writers
# block, and stay blocked while no one reads.
wait_for '[ "$(survivors | wc -l)" -ge 5 ]' || fail "the formation did not start"
for i in 1 2 3; do
	out=$(timeout 5 "$FORMATION" ps 2>&1) ||
	    fail "ps did not answer while the output was stalled: $out"
	echo "$out" | grep -q 'one\.1' || fail "ps: $out"
	sleep 0.3
done
# Unblocked, each writer is done in a fraction of a second; blocked, it
# is still there.
writers=0
for p in $(survivors); do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = awk ] && writers=$((writers + 1))
done
[ "$writers" -eq 2 ] || fail "$writers writers still blocked, expected 2"
[ "$(grep -c '| done$' big.log)" -eq 0 ] ||
    fail "the writers finished while no one read"

touch go
wait_for '[ "$(grep -c "| done$" big.log)" -ge 2 ]' 60 ||
    fail "the writers did not finish once read"
stop_up
wait "$READER"
assert_no_survivors
awk '
/^[0-9:]* one\.1 *\| / { tag = "ONE"; n = 0 }
/^[0-9:]* two\.1 *\| / { tag = "TWO"; n = 1 }
!/^[0-9:]* (one|two)\.1 *\| / { next }
{
	text = substr($0, index($0, "| ") + 2)
	if (text == "done")
		next
	i = seen[n]++
	if (text != sprintf("%s %06d %0990d", tag, i, i)) {
		printf "bad line %d: %.60s...\n", NR, text
		if (++bad > 5)
			exit 1
	}
}
END {
	if (seen[0] != 20000 || seen[1] != 20000) {
		printf "lines: ONE %d, TWO %d\n", seen[0], seen[1]
		exit 1
	}
	exit bad > 0
}' big.log || fail "torn, lost or reordered lines"
exit 0

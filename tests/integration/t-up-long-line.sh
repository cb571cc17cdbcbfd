#!/bin/sh
# A line longer than the daemon's line limit is split into pieces, never
# dropped or truncated: the pieces, in order, are the line. A multi-byte
# UTF-8 character is not cut in two.
. "$(dirname "$0")/lib.sh"

# 100,000 bytes of ASCII that never repeat the same way, then a newline;
# and 60,000 two-byte characters (é) after one ASCII byte, so that a cut
# at an even offset would split a character.
cat >gen.awk <<'P'
BEGIN {
	s = ""
	for (i = 0; length(s) < 100000; i++)
		s = s i ","
	printf "%s\n", substr(s, 1, 100000)
	s = "x"
	for (i = 0; i < 60000; i++)
		s = s "\303\251"
	printf "%s\n", s
}
P
cat >Procfile <<'P'
big: LC_ALL=C awk -f gen.awk; echo done; exec sleep 1000
P
LC_ALL=C awk -f gen.awk >expected
start_up
wait_for '[ "$(up_count "big\.1 *| done$")" -ge 1 ]' ||
    fail "big.1 did not finish"
stop_up
assert_no_survivors
mv up.log big.log

sed -n 's/^[0-9:]* big\.1 *| //p' big.log | grep -v '^done$' >pieces
n=$(wc -l <pieces)
[ "$n" -gt 2 ] || fail "the long lines came out as $n pieces"
# Each piece is at most the limit (8 KiB); joined, they are the input.
LC_ALL=C awk 'length($0) > 8192 { exit 1 }' pieces ||
    fail "a piece is longer than 8192 bytes"
LC_ALL=C awk '
	NR > 1 && substr($0, 1, 1) == "x" { printf "\n" }
	{ printf "%s", $0 }
	END { printf "\n" }' pieces >joined
cmp -s expected joined || fail "the pieces do not join into the lines"
# No character cut: every line of the log is valid UTF-8.
if command -v iconv >/dev/null 2>&1; then
	iconv -f UTF-8 -t UTF-8 big.log >/dev/null 2>&1 ||
	    fail "a piece ends inside a UTF-8 character"
fi
exit 0

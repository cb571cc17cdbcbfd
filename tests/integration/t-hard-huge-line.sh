#!/bin/sh
# A 10 MiB line with no newline at all is logged as pieces of at most
# 8 KiB, the last one when the output pauses: joined, the pieces are the
# input, byte for byte. The daemon never holds the line whole, nor keeps
# more of it for formation logs than log_memory (1M here): its RSS grows
# by less than 5 MiB.
. "$(dirname "$0")/lib.sh"

# 10 MiB of base64 (no newline in it), and 123 bytes more, so that the
# last piece is a partial one, flushed because the writer went quiet.
head -c 7864320 /dev/urandom | base64 -w 0 >line
printf '%0123d' 0 >>line
size=$(wc -c <line)
cat >Procfile <<'P'
big: while [ ! -e go ]; do sleep 0.05; done; cat line; exec sleep 1000
P
printf '[formation]\nlog_memory = 1M\n' >formation.ini
start_up
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"
logged() {	# bytes of big.1's text in the log
	sed -n 's/^[0-9:]* big\.1 *| //p' up.log | tr -d '\n' | wc -c
}
rss0=$(rss_kb "$UP_PID")
maxrss=$rss0
touch go
t0=$(now)
while [ "$(logged)" -lt "$size" ]; do
	ge 30 "$(elapsed "$t0")" || fail "$(logged) of $size bytes logged"
	rss=$(rss_kb "$UP_PID")
	[ "$rss" -gt "$maxrss" ] && maxrss=$rss
	sleep 0.1
done
took=$(elapsed "$t0")
stop_up
assert_no_survivors
mv up.log big.log

sed -n 's/^[0-9:]* big\.1 *| //p' big.log >pieces
echo "$size bytes in $(wc -l <pieces | tr -d ' ') pieces, in ${took}s;" \
    "daemon RSS ${rss0} KiB, at most ${maxrss} KiB"
LC_ALL=C awk 'length($0) > 8192 { exit 1 }' pieces ||
    fail "a piece is longer than 8192 bytes"
tr -d '\n' <pieces >joined
cmp -s line joined || fail "the pieces do not join into the line"
# Held in pieces: the daemon's memory never grew by the line's size
# (under ASan, the quarantine keeps what was freed: not measured).
sanitized || [ $((maxrss - rss0)) -lt 5120 ] ||
    fail "the daemon's RSS grew from ${rss0} KiB to ${maxrss} KiB"
exit 0

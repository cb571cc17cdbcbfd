#!/bin/sh
# up -d: the daemon detaches once the formation is started, and appends
# its log to .formation/formation.log, rotated at 10 MiB with one old file
# kept; nothing is lost in between.
. "$(dirname "$0")/lib.sh"

# 12,000 lines of 1,000 bytes (about 12 MiB with the prefixes).
cat >gen.awk <<'P'
BEGIN {
	for (i = 0; i < 12000; i++)
		printf "line %06d %0988d\n", i, i
}
P
cat >Procfile <<'P'
writer: echo hello; awk -f gen.awk; echo done; exec sleep 1000
P
timeout 20 "$FORMATION" up -d >out 2>err
rc=$?
assert_eq 0 $rc "exit status of up -d ($(cat err))"
assert_grep '^formation is up (pid [0-9]*)' out
assert_eq "" "$(cat err)" "stderr of up -d"
pid=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' out)
kill -0 "$pid" || fail "the daemon is not running"
# Detached: a session of its own, stdout to /dev/null.
set -- $(sed 's/^.*) //' /proc/$pid/stat)
assert_eq "$pid" "$4" "session of the daemon"
assert_eq /dev/null "$(readlink /proc/$pid/fd/1)" "stdout of the daemon"

log=.formation/formation.log
wait_for '[ -f $log ] && grep -q "writer\.1 *| done$" $log' 30 ||
    fail "the log has no 'done'"
[ -f $log.1 ] || fail "the log was not rotated"
size=$(stat -c %s $log.1)
[ "$size" -ge $((10 * 1024 * 1024)) ] || fail "rotated at $size bytes"
[ "$size" -lt $((11 * 1024 * 1024)) ] || fail "rotated at $size bytes"
[ ! -e $log.2 ] || fail "more than one old file kept"
assert_eq 600 "$(stat -c %a $log)" "mode of the log"
# Every line once, in order, across the two files.
cat $log.1 $log | sed -n 's/^[0-9:]* writer\.1 *| line //p' |
    awk '$1 != sprintf("%06d", NR - 1) || $2 != sprintf("%0988d", NR - 1) {
	print "bad line " NR; exit 1 }
	END { if (NR != 12000) { print NR " lines"; exit 1 } }' ||
    fail "lines lost or torn across the rotation"
grep -q '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] system *| formation v1 in ' \
    $log.1 || fail "the log does not start with the formation's start"

timeout 20 "$FORMATION" down >out 2>&1 || fail "down: $(cat out)"
wait_for "! kill -0 $pid 2>/dev/null" || fail "the daemon did not end"
assert_grep 'system *| writer\.1 killed by SIGTERM$' $log
assert_no_survivors
exit 0

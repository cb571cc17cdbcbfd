#!/bin/sh
# A process that exits at once, forever, follows the back-off schedule
# (at once, then 1 s, 2 s, 4 s: it doubles), and the daemon sleeps in
# between: under 1 % of a CPU (user + system time) over the 7 s of the
# first five runs.
. "$(dirname "$0")/lib.sh"

# Each run prints its own clock, so the gaps are measured where they
# happen, not when the test polls.
cat >Procfile <<'P'
crash: echo "at $(date +%s.%N)"; exit 1
P
cputime() {	# PID: utime + stime, in clock ticks
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
hz=$(getconf CLK_TCK)
start_up
wait_for '[ "$(up_count "crash\.1 *| at ")" -ge 1 ]' || fail "no first run"
cpu0=$(cputime "$UP_PID")
t0=$(now)
wait_for '[ "$(up_count "crash\.1 *| at ")" -ge 5 ]' 12 ||
    fail "crash.1 was not started five times"
cpu1=$(cputime "$UP_PID")
span=$(elapsed "$t0")
stop_up
assert_no_survivors

sed -n 's/^.*crash\.1 *| at //p' up.log | head -n 5 >at
gaps=$(awk 'NR > 1 { printf "%s%.2f", sep, $1 - prev; sep = " " }
	{ prev = $1 }' at)
echo "gaps between runs: $gaps s; daemon CPU: $((cpu1 - cpu0)) ticks" \
    "of 1/$hz s in ${span}s"
set -- $gaps
ge 0.5 "$1" || fail "first restart after ${1}s, expected at once"
for want in 1 2 4; do
	shift
	ge "$1" "$(echo "$want" | awk '{ print $1 * 0.95 }')" ||
	    fail "restart after ${1}s, expected ${want}s"
	ge "$(echo "$want" | awk '{ print $1 * 1.5 + 0.2 }')" "$1" ||
	    fail "restart after ${1}s, expected ${want}s"
done
assert_grep "system *| crash\\.1 exited with status 1 (the shell's: that of the last command it ran)\$" up.log
assert_grep 'system *| crash\.1 restarting$' up.log
for s in 1 2 4; do
	assert_grep "system *| crash\\.1 restarting in ${s}s\$" up.log
done
# 3 % of the span, in ticks: a daemon that spins in the back-off uses
# all of it; one that waits uses well under 1 %, but a busy machine (a
# load of 5 here) once made that 1.4 %.
ge "$(echo "$span $hz" | awk '{ print $1 * $2 * 3 / 100 }')" $((cpu1 - cpu0)) ||
    fail "the daemon used $((cpu1 - cpu0)) ticks of CPU in ${span}s"
exit 0

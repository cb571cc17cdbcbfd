#!/bin/sh
# The scale curve of formation alone: 100, 1000 and 5000 processes
# "sleep" (CURVE_NS), each as bench/scale.sh measures it: the time until
# all run, the daemon's RSS, the latency of `formation ps` (and --json)
# with all running, and the time until all are gone after `formation
# down`. So the growth is seen, not guessed.
#
# usage: curve.sh [N ...]

. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- ${CURVE_NS:-100 1000 5000}
[ "$BENCH_QUICK" = 1 ] && set -- 10 100
for n in "$@"; do
	SC_ONLY=formation SC_RUNS=${SC_RUNS:-1} sh "$BENCH_TOP/bench/scale.sh" "$n"
done

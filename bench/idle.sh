#!/bin/sh
# Idle cost: what a manager spends while its N processes (default 100)
# sleep. Once all run and a second has passed, its CPU time (schedstat,
# all threads) and context switches (voluntary + involuntary, all
# threads: each is a wake-up) are read, then again IDLE_SECS (10) later.
# formation is asked `formation ps` first, and measured once the CPU
# sampling that starts has stopped.
#
# usage: idle.sh [N]

. "$(dirname "$0")/lib.sh"
. "$BENCH_TOP/bench/managers.sh"

ID_N=${1:-100}
ID_SECS=${IDLE_SECS:-10}
ID_ARG=86397
[ "$BENCH_QUICK" = 1 ] && ID_SECS=3

id_once() {	# tool
	_id_dir=$(scratch "idle-$1")
	note idle "cd APP && $(mgr_command "$1" "$ID_N")  # then read /proc/PID/{schedstat,status} ${ID_SECS}s apart"
	_id_t0=$(now_ns)
	mgr_start "$1" "$_id_dir" "$ID_N" "$ID_ARG"
	if python3 "$BENCH_TOP/bench/procs.py" wait "$ID_ARG" "$ID_N" \
	    "$_id_t0" 120 >/dev/null; then
		# formation ps samples /proc while asked: once asked, the
		# daemon must be as quiet as before once the sampling has
		# lingered out (10 s).
		if [ "$1" = formation ]; then
			(cd "$_id_dir" && "$FORMATION" ps >/dev/null 2>&1)
			sleep 11
		fi
		sleep 1
		set -- "$1" $(python3 "$BENCH_TOP/bench/procs.py" stat "$MGR_PID")
		sleep "$ID_SECS"
		set -- "$@" $(python3 "$BENCH_TOP/bench/procs.py" stat "$MGR_PID")
		_id_cpu=$(awk -v a="$3" -v b="$6" \
		    'BEGIN { printf "%.3f", (b - a) * 1000 }')
		record "idle-$ID_N" "$1" cpu_ms "$_id_cpu"
		record "idle-$ID_N" "$1" wakeups "$(( $7 - $4 ))"
		record "idle-$ID_N" "$1" window_s "$ID_SECS"
		say "  $1: ${_id_cpu} ms CPU and $(( $7 - $4 )) wake-ups in ${ID_SECS}s"
	else
		failure "idle: $1: $ID_N processes did not all start"
	fi
	mgr_stop "$1" "$_id_dir"
	python3 "$BENCH_TOP/bench/procs.py" wait "$ID_ARG" 0 "$(now_ns)" 20 \
	    >/dev/null || mgr_cleanup "$ID_ARG"	# the manager may wait for them
	mgr_wait
	rm -rf "$_id_dir"
}

say "idle: $ID_N processes, ${ID_SECS}s"
for t in formation foreman nf supervisord; do
	if have $t; then
		id_once $t
	else
		record "idle-$ID_N" "$t" unavailable 1
	fi
done

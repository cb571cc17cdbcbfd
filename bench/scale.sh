#!/bin/sh
# Scale and control latency: N processes "sleep ARG" (default 1000).
#
# For each manager: the time from its start until all N run (counted in
# /proc), its RSS once they run, the latency of its status command
# (formation ps, supervisorctl status) with all N running, and the time
# from the stop request (formation down, SIGINT to foreman and nf,
# supervisorctl shutdown) until no process is left, and until the manager
# has exited.
#
# usage: scale [N]   (SC_ONLY=formation: no peers)

. "$(dirname "$0")/lib.sh"
. "$BENCH_TOP/bench/managers.sh"

SC_N=${1:-1000}
SC_RUNS=${SC_RUNS:-3}		# formation's runs
SC_PEER_RUNS=${SC_PEER_RUNS:-1}	# the peers take tens of seconds each
SC_CTL_RUNS=${SC_CTL_RUNS:-30}
SC_ARG=86398
SC_LIMIT=120	# seconds before a start counts as failed
SC_STOP_LIMIT=20	# and a stop
[ "$BENCH_QUICK" = 1 ] && SC_RUNS=1 SC_CTL_RUNS=10

# The status command of a manager, run in the app directory.
sc_status_command() {	# tool
	case $1 in
	formation) echo "$FORMATION ps" ;;
	supervisord) echo "supervisorctl -c supervisord.conf status" ;;
	esac
}

sc_control() {	# tool dir
	_sc_cmd=$(sc_status_command "$1")
	[ -n "$_sc_cmd" ] || return 0
	note control "cd APP && hyperfine -N -w 3 -r $SC_CTL_RUNS '$_sc_cmd'"
	if _sc_s=$(cd "$2" && time_command "$SC_CTL_RUNS" $_sc_cmd); then
		record "control-$SC_N" "$1" seconds "${_sc_s% *}"
		record "control-$SC_N" "$1" min_s "${_sc_s#* }"
		say "  $1: status in ${_sc_s% *}s"
	else
		failure "control: $1: '$_sc_cmd' failed"
	fi
	if [ "$1" = formation ]; then
		note control "cd APP && hyperfine -N -w 3 -r $SC_CTL_RUNS '$_sc_cmd --json'"
		_sc_s=$(cd "$2" && time_command "$SC_CTL_RUNS" $_sc_cmd --json) &&
		    record "control-$SC_N" formation-json seconds "${_sc_s% *}" &&
		    record "control-$SC_N" formation-json min_s "${_sc_s#* }"
	fi
}

sc_once() {	# tool round
	_sc_dir=$(scratch "scale-$1")
	note scale "cd APP && $(mgr_command "$1" "$SC_N")  # then: $(mgr_stop_command "$1")"
	_sc_t0=$(now_ns)
	mgr_start "$1" "$_sc_dir" "$SC_N" "$SC_ARG"
	if ! _sc_up=$(python3 "$BENCH_TOP/bench/procs.py" wait "$SC_ARG" \
	    "$SC_N" "$_sc_t0" "$SC_LIMIT"); then
		failure "scale: $1: $SC_N processes did not all start in ${SC_LIMIT}s"
		mgr_stop "$1" "$_sc_dir"
		mgr_wait
		mgr_cleanup "$SC_ARG"
		rm -rf "$_sc_dir"
		return 1
	fi
	record "scale-$SC_N" "$1" up_s "$_sc_up"
	sleep 1		# let it settle before its size is taken
	set -- "$1" "$2" $(python3 "$BENCH_TOP/bench/procs.py" stat "$MGR_PID")
	record "scale-$SC_N" "$1" rss_kb "$3"
	[ "$2" = 1 ] && sc_control "$1" "$_sc_dir"
	_sc_t0=$(now_ns)
	mgr_stop "$1" "$_sc_dir"
	_sc_down=
	if _sc_down=$(python3 "$BENCH_TOP/bench/procs.py" wait "$SC_ARG" 0 \
	    "$_sc_t0" "$SC_STOP_LIMIT"); then
		record "scale-$SC_N" "$1" down_s "$_sc_down"
	else
		failure "scale: $1: $(python3 "$BENCH_TOP/bench/procs.py" count \
		    "$SC_ARG") processes left ${SC_STOP_LIMIT}s after the stop"
		mgr_cleanup "$SC_ARG"	# the manager may wait for them
	fi
	mgr_wait
	_sc_exit=$(elapsed "$_sc_t0" "$(now_ns)")
	[ -n "$_sc_down" ] && record "scale-$SC_N" "$1" exit_s "$_sc_exit"
	say "  $1: up ${_sc_up}s, rss $3 kB, down ${_sc_down:-?}s, gone ${_sc_exit}s"
	rm -rf "$_sc_dir"
}

sc_tools=formation
# SC_ONLY=formation: formation alone (bench/curve.sh).
sc_peers="foreman nf supervisord"
[ "${SC_ONLY:-}" = formation ] && sc_peers=""
for t in $sc_peers; do
	if have $t; then
		sc_tools="$sc_tools $t"
	else
		record "scale-$SC_N" "$t" unavailable 1
	fi
done

say "scale: $SC_N processes"
r=1
while [ $r -le "$SC_RUNS" ]; do
	for t in $sc_tools; do
		[ "$t" = formation ] || [ $r -le "$SC_PEER_RUNS" ] || continue
		sc_once "$t" "$r"
	done
	r=$((r + 1))
done

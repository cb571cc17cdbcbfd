#!/bin/sh
# Log throughput: K writers of 100-byte lines through a process manager
# into a file, against the bare limit (each writer piped straight into a
# file by sh).
#
# The Procfile, the same for every manager:
#
#   w:    : >ready.$$; : <go; awk ...N lines...; echo >fin; exec sleep 86399
#   done: exec 3<>fin; i=0; while [ $i -lt K ]; do read x <&3; ...; done
#
# Every writer says it is ready, then blocks opening the fifo "go"; once
# all K are ready (and the manager is done starting them), the bench opens
# "go" for writing and the clock starts. A writer that has written its N
# lines reports on the fifo "fin" and sleeps. "done" exits once all K have
# reported: foreman and node-foreman stop everything when the first
# process exits, and formation does under --exit-on-exit, so the manager
# exits once every line is in its pipe. The clock stops when the manager
# has exited, so every line has reached the file.
#
# The barrier matters: ruby foreman writes "started with pid N" into each
# process's own output pipe after spawning it, and deadlocks if the process
# has already filled that pipe (64 KiB) by then.
#
# "follow" is formation again, with a `formation logs -f -n 0 w` into a file
# of its own, started with the formation: the bench checks that the
# follower keeps up, each line shown or counted in a "fell behind"
# marker, and how many it got.
#
# usage: throughput.sh K...   (writer counts; default 2 8 32)

. "$(dirname "$0")/lib.sh"

TP_RUNS=${TP_RUNS:-3}
# Lines in one run, over all writers: a few seconds for each manager.
TP_FAST=${TP_FAST:-4000000}	# formation and the bare pipes
TP_NF=${TP_NF:-1000000}		# node-foreman
TP_SLOW=${TP_SLOW:-100000}	# foreman
if [ "$BENCH_QUICK" = 1 ]; then
	TP_RUNS=1 TP_FAST=400000 TP_NF=100000 TP_SLOW=20000
fi

# The writer: N lines "@@ ID SEQ x...x", 100 bytes with the newline, ID
# the pid of its shell.
tp_writer() {
	printf '%s' "awk -v n=$1 -v id=\$\$ 'BEGIN { p = sprintf(\"%78s\", \"\"); gsub(/ /, \"x\", p); for (i = 1; i <= n; i++) printf \"@@ %07d %09d %s\\n\", id, i, p }'"
}

tp_procfile() {	# dir writers lines
	cat >"$1/Procfile" <<PROCFILE
w: : >$1/ready.\$\$; : <$1/go; $(tp_writer "$3"); echo >$1/fin; exec sleep 86399
done: exec 3<>$1/fin; i=0; while [ \$i -lt $2 ]; do read x <&3; i=\$((i + 1)); done
PROCFILE
}

tp_ready() {	# dir writers
	[ "$(find "$1" -maxdepth 1 -name 'ready.*' | wc -l)" -ge "$2" ]
}

# The command line of a manager, run in the app directory.
tp_command() {	# tool writers
	case $1 in
	formation|follow) echo "$FORMATION up --exit-on-exit -m w=$2,done=1" ;;
	foreman) echo "foreman start -m w=$2,done=1" ;;
	nf) echo "nf start w=$2,done=1" ;;
	esac
}

# One run of a manager: prints the seconds, or nothing on failure.
tp_manager() {	# tool writers lines dir
	_m_cmd=$(tp_command "$1" "$2")
	rm -f "$4"/ready.* "$4"/go "$4"/fin "$4/out"
	mkfifo "$4/go" "$4/fin"
	tp_procfile "$4" "$2" "$(( $3 / $2 ))"
	note throughput "cd APP && $(tp_command "$1" K) >out 2>&1"
	(cd "$4" && exec $_m_cmd >"$4/out" 2>&1) &
	_pid=$!
	_i=0
	while ! tp_ready "$4" "$2"; do
		_i=$((_i + 1))
		if [ $_i -gt 1200 ] || ! kill -0 $_pid 2>/dev/null; then
			kill $_pid 2>/dev/null
			wait $_pid
			return 1
		fi
		sleep 0.05
	done
	_fpid=""
	if [ "$1" = follow ]; then
		note throughput "cd APP && $FORMATION logs -f -n 0 w >follow &"
		(cd "$4" && exec "$FORMATION" logs -f -n 0 w >"$4/follow" \
		    2>"$4/follow.err") &
		_fpid=$!
	fi
	sleep 0.3	# the manager finishes its start-up lines
	_t0=$(now_ns)
	exec 4>"$4/go"
	wait $_pid
	_t1=$(now_ns)
	exec 4>&-
	if [ -n "$_fpid" ] && ! wait $_fpid; then
		say "  follow: logs -f failed: $(cat "$4/follow.err")"
		return 1
	fi
	elapsed "$_t0" "$_t1"
}

# What the follower of a run got: "SHOWN SKIPPED MARKERS".
tp_follow() {	# file
	awk '/@@ / { shown++ }
	    /^formation: logs: fell behind; [0-9]+ lines skipped$/ {
		skipped += $5; markers++ }
	    END { printf "%d %d %d\n", shown, skipped, markers }' "$1"
}

# The bare limit: each writer piped into its own file by sh (a file
# shared by the writers would tear lines at their buffer boundaries,
# which is what a multiplexer is for), behind the same barrier.
tp_raw() {	# writers lines dir
	_r_w=$(tp_writer "$(( $2 / $1 ))")
	rm -f "$3"/raw.* "$3"/ready.* "$3/go"
	mkfifo "$3/go"
	note throughput "W = $(tp_writer N)"
	note throughput "sh -c ': >ready.\$\$; : <go; W | cat >raw.I' &  # K times, then: wait"
	_r_i=1
	while [ $_r_i -le "$1" ]; do
		sh -c ": >$3/ready.\$\$; : <$3/go; $_r_w | cat >$3/raw.$_r_i" &
		_r_i=$((_r_i + 1))
	done
	while ! tp_ready "$3" "$1"; do
		sleep 0.05
	done
	_r_t0=$(now_ns)
	exec 4>"$3/go"
	wait
	_r_t1=$(now_ns)
	exec 4>&-
	elapsed "$_r_t0" "$_r_t1"
}

# Check the file(s) of one run; prints the checker's summary, and returns
# 1 when a line was lost or torn.
tp_check() {	# writers lines-per-writer files...
	_ck_k=$1 _ck_n=$2
	shift 2
	cat "$@" | awk -v writers="$_ck_k" -v lines="$_ck_n" \
	    -f "$BENCH_TOP/bench/check-lines.awk"
}

tp_once() {	# tool writers lines dir
	_o_tool=$1 _o_k=$2 _o_n=$3 _o_dir=$4
	if [ "$_o_tool" = raw ]; then
		_o_s=$(tp_raw "$_o_k" "$_o_n" "$_o_dir")
		_o_files=$(ls "$_o_dir"/raw.*)
	elif ! _o_s=$(tp_manager "$_o_tool" "$_o_k" "$_o_n" "$_o_dir"); then
		failure "throughput: $_o_tool, $_o_k writers: did not start"
		return
	else
		_o_files=$_o_dir/out
	fi
	# shellcheck disable=SC2086
	if ! _o_res=$(tp_check "$_o_k" "$(( _o_n / _o_k ))" $_o_files); then
		failure "throughput: $_o_tool, $_o_k writers: lines lost or torn: $_o_res"
		record "throughput-$_o_k" "$_o_tool" broken 1
	fi
	record "throughput-$_o_k" "$_o_tool" seconds "$_o_s"
	record "throughput-$_o_k" "$_o_tool" lines_per_s \
	    "$(awk -v n="$_o_n" -v s="$_o_s" 'BEGIN { printf "%.0f", n / s }')"
	say "  $_o_tool: $_o_n lines in ${_o_s}s ($_o_res)"
	if [ "$_o_tool" = follow ]; then
		set -- $(tp_follow "$_o_dir/follow")
		record "throughput-$_o_k" follow shown "$1"
		record "throughput-$_o_k" follow skipped "$2"
		if [ $(( $1 + $2 )) -ne "$_o_n" ]; then
			failure "throughput: follow, $_o_k writers: $1 shown and $2 skipped of $_o_n lines"
			record "throughput-$_o_k" follow broken 1
		fi
		say "  logs -f: $1 shown, $2 skipped in $3 markers"
	fi
	rm -f "$_o_dir/out" "$_o_dir"/raw.* "$_o_dir/follow" "$_o_dir/follow.err"
}

tp_tools="raw formation follow"
for t in foreman nf; do
	if have $t; then
		tp_tools="$tp_tools $t"
	else
		record throughput "$t" unavailable 1
	fi
done

for k in ${*:-2 8 32}; do
	say "throughput: $k writers"
	dir=$(scratch "tp$k")
	r=1
	while [ $r -le "$TP_RUNS" ]; do
		for t in $tp_tools; do
			case $t in
			raw|formation|follow) n=$TP_FAST ;;
			nf) n=$TP_NF ;;
			*) n=$TP_SLOW ;;
			esac
			tp_once "$t" "$k" "$n" "$dir"
		done
		r=$((r + 1))
	done
	rm -rf "$dir"
done

#!/bin/sh
# Chatty processes: N (default 1000) processes that each print LINES
# (20000) lines of 100 bytes, 2 MB, then sleep; formation's daemon keeps
# their lines for `formation logs` under one budget (log_memory, 64 MiB
# by default). Once every process has printed all and is asleep, the
# daemon's RSS and its peak (VmHWM) are read, and how long the output
# took. The target: under 100 MB with the default budget, however many
# processes print.
#
# usage: chatty.sh [N]

. "$(dirname "$0")/lib.sh"
. "$BENCH_TOP/bench/managers.sh"

CH_N=${1:-1000}
CH_LINES=${CH_LINES:-20000}
CH_ARG=86396
CH_LIMIT=600
[ "$BENCH_QUICK" = 1 ] && CH_N=50 CH_LINES=2000

ch_dir=$(scratch chatty)
# 99 characters and a newline.
ch_line=$(printf '%099d' 0)
printf 'c: yes %s | head -n %s; exec sleep %s\n' "$ch_line" "$CH_LINES" \
    "$CH_ARG" >"$ch_dir/Procfile"
note chatty "cd APP && $FORMATION up -m c=$CH_N >/dev/null  # Procfile: c: yes LINE | head -n $CH_LINES; exec sleep $CH_ARG"
say "chatty: $CH_N processes of $CH_LINES lines"
ch_t0=$(now_ns)
(cd "$ch_dir" && exec "$FORMATION" up -m c="$CH_N" >/dev/null 2>&1) &
MGR_PID=$!
if ch_s=$(python3 "$BENCH_TOP/bench/procs.py" wait "$CH_ARG" "$CH_N" \
    "$ch_t0" "$CH_LIMIT"); then
	sleep 1		# what is left in the pipes
	ch_rss=$(awk '/^VmRSS:/ { print $2 }' /proc/"$MGR_PID"/status)
	ch_hwm=$(awk '/^VmHWM:/ { print $2 }' /proc/"$MGR_PID"/status)
	ch_kept=$(cd "$ch_dir" && "$FORMATION" logs -n 100000000 | wc -l)
	record "chatty-$CH_N" formation seconds "$ch_s"
	record "chatty-$CH_N" formation rss_kb "$ch_rss"
	record "chatty-$CH_N" formation hwm_kb "$ch_hwm"
	record "chatty-$CH_N" formation lines_kept "$ch_kept"
	say "  formation: all printed in ${ch_s}s; daemon RSS $ch_rss kB," \
	    "peak $ch_hwm kB; $ch_kept lines kept"
	[ "$ch_hwm" -lt 102400 ] ||
	    failure "chatty: the daemon peaked at $ch_hwm kB (target < 100 MB)"
else
	failure "chatty: $CH_N processes did not all finish in ${CH_LIMIT}s"
fi
(cd "$ch_dir" && "$FORMATION" down >/dev/null 2>&1)
mgr_wait
python3 "$BENCH_TOP/bench/procs.py" wait "$CH_ARG" 0 "$(now_ns)" 20 \
    >/dev/null || mgr_cleanup "$CH_ARG"
rm -rf "$ch_dir"

#!/bin/sh
# The round trip of a one-off: `formation oneoff true` (the CLI asks the
# daemon, which spawns /bin/sh -c true and reports its exit) against
# `sh -c true` run directly, and against `foreman run true` and
# `nf run true` where they are installed. Reports the mean of each and
# its ratio to `sh -c true`; the target is 2x at most.
#
# usage: sh bench/oneoff.sh [BUILDDIR]   (hyperfine if installed, else a
# timed loop of $RUNS runs, 300 by default)

top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
F=$B/formation
RUNS=${RUNS:-300}
[ -x "$F" ] || { echo "no $F: run make first" >&2; exit 1; }

app=$(mktemp -d "${TMPDIR:-/tmp}/formation-bench.XXXXXX")
cleanup() {
	(cd "$app" && "$F" down >/dev/null 2>&1)
	rm -rf "$app"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$app" || exit 1
echo 'web: exec sleep 100000' >Procfile
"$F" up -d -t 1 >/dev/null || exit 1

set -- "sh -c true" "$F oneoff true" "$F oneoff -t true"
command -v foreman >/dev/null && set -- "$@" "foreman run true"
command -v nf >/dev/null && set -- "$@" "nf run true"

# Mean milliseconds of a command, by a loop timed with date.
loop_ms() {
	i=0
	t0=$(date +%s%N)
	while [ $i -lt "$RUNS" ]; do
		$1 </dev/null >/dev/null 2>&1
		i=$((i + 1))
	done
	t1=$(date +%s%N)
	echo "$t0 $t1 $RUNS" | awk '{ printf "%.3f", ($2 - $1) / $3 / 1e6 }'
}

means=$app/means
if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 20 --min-runs "$RUNS" --style none \
	    --export-csv "$app/h.csv" "$@" >/dev/null 2>&1 || exit 1
	# command,mean,stddev,median,user,system,min,max (seconds)
	awk -F, 'NR > 1 { printf "%s\t%.3f\n", $1, $2 * 1000 }' \
	    "$app/h.csv" >"$means"
	how="hyperfine, at least $RUNS runs each"
else
	for c in "$@"; do
		printf '%s\t%s\n' "$c" "$(loop_ms "$c")"
	done >"$means"
	how="a loop of $RUNS runs each"
fi

echo "one-off round trip ($how; $(nproc) cpus)"
awk -F'\t' -v b="$B/" '
	NR == 1 { base = $2 }
	{ name = $1; sub(b, "", name)
	  printf "  %-28s %8.3f ms  %5.2fx sh -c true\n", name, $2, $2 / base }
' "$means"

# Sourced by the bench scripts: where things are, the clock, the results
# file and which peers are there.
#
# Every measurement is one line of $BENCH_RESULTS:
#	scenario <TAB> tool <TAB> metric <TAB> value
# bench/report reads them back, takes medians and writes the tables.

BENCH_TOP=${BENCH_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
BENCH_BIN=${BENCH_BIN:-$BENCH_TOP/build}
FORMATION=${FORMATION:-$BENCH_BIN/formation}
: "${BENCH_RESULTS:=$BENCH_TOP/build/bench/results.tsv}"
: "${BENCH_CMDS:=$BENCH_TOP/build/bench/commands.txt}"
: "${BENCH_QUICK:=0}"
export BENCH_TOP BENCH_BIN FORMATION BENCH_RESULTS BENCH_CMDS BENCH_QUICK
unset FORMATION_SOCKET FORMATION_PROCFILE FORMATION_ENV FORMATION_CONFIG \
    FORMATION_PORT FORMATION_TIMEOUT FORMATION_RESTART FORMATION_SCALE \
    FORMATION_COLOR NOTIFY_SOCKET JOURNAL_STREAM

# 1000 processes hold 1000 pipes in each manager.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	RED=$(printf '\033[31m') OFF=$(printf '\033[0m')
else
	RED='' OFF=''
fi

# Nanoseconds since the epoch.
now_ns() {
	date +%s%N
}

# Seconds between two now_ns values, with 6 decimals.
elapsed() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", (b - a) / 1e9 }'
}

# record SCENARIO TOOL METRIC VALUE
record() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$BENCH_RESULTS"
}

# note SCENARIO COMMAND...: the exact command, for docs/performance.md
# (the formation binary named as build/formation).
note() {
	_s=$1
	shift
	_n=$(printf '%s' "$*" | sed "s|$BENCH_BIN/|build/|g")
	grep -qxF "$_s	$_n" "$BENCH_CMDS" 2>/dev/null ||
	    printf '%s\t%s\n' "$_s" "$_n" >>"$BENCH_CMDS"
}

failure() {
	printf '%s%s%s\n' "$RED" "$*" "$OFF"
	record failures bench message "$*"
}

# have TOOL: is this contender installed (formation, foreman, nf,
# supervisord)?
have() {
	case $1 in
	formation) [ -x "$FORMATION" ] ;;
	foreman) command -v foreman >/dev/null 2>&1 ;;
	nf) command -v nf >/dev/null 2>&1 ;;
	supervisord) command -v supervisord >/dev/null 2>&1 &&
	    command -v supervisorctl >/dev/null 2>&1 ;;
	hyperfine) command -v hyperfine >/dev/null 2>&1 ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

# A fresh scratch directory under $BENCH_TMP (bench/run makes one; a
# scenario run alone uses $TMPDIR).
scratch() {
	_d=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/formation-$1.XXXXXX") ||
	    exit 1
	echo "$_d"
}

# Say what is happening, on stderr, so stdout keeps the tables.
say() {
	printf '%s\n' "$*" >&2
}

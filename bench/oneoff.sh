#!/bin/sh
# The round trip of a one-off: `formation oneoff true` (the CLI asks the
# daemon, which spawns /bin/sh -c true from the release and passes its
# exit back) against `sh -c true` run directly, and against
# `foreman run true` and `nf run true` where they are installed. The
# target is 2x `sh -c true` at most.
#
# The commands take turns: ONEOFF_ROUNDS rounds (3), each timing every
# command ONEOFF_RUNS times (100; 10 for foreman and nf, which start an
# interpreter); the median of the rounds' medians is reported.
#
# usage: sh bench/oneoff.sh   (alone it prints its own table; bench/run
# runs it with the rest)

. "$(dirname "$0")/lib.sh"
. "$BENCH_TOP/bench/managers.sh"

OO_ROUNDS=${ONEOFF_ROUNDS:-3}
OO_RUNS=${ONEOFF_RUNS:-100}
[ "$BENCH_QUICK" = 1 ] && OO_ROUNDS=1 OO_RUNS=20

standalone=0
if [ -z "${BENCH_TMP:-}" ]; then
	standalone=1
	BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/formation-bench.XXXXXX")
	BENCH_RESULTS=$BENCH_TMP/results.tsv
	BENCH_CMDS=$BENCH_TMP/commands.txt
fi

oo_app=$(scratch oneoff)
oo_cleanup() {
	(cd "$oo_app" && "$FORMATION" down >/dev/null 2>&1)
	rm -rf "$oo_app"
	[ $standalone = 0 ] || rm -rf "$BENCH_TMP"
}
trap oo_cleanup EXIT
trap 'exit 1' INT TERM
cd "$oo_app" || exit 1
echo 'web: exec sleep 86394' >Procfile
"$FORMATION" up -d -t 1 >/dev/null || exit 1
note oneoff "cd APP && $FORMATION up -d -t 1   # Procfile: web: exec sleep 86394"

# tool <TAB> command, for the commands that can run here.
oo_commands() {
	printf 'sh\tsh -c true\n'
	if "$FORMATION" oneoff true </dev/null >/dev/null 2>&1; then
		printf 'formation\t%s oneoff true\n' "$FORMATION"
		printf 'formation-pty\t%s oneoff -t true\n' "$FORMATION"
	else
		record oneoff formation unavailable 1
		say "  formation oneoff: not available yet"
	fi
	if have foreman; then
		printf 'foreman\tforeman run true\n'
	else
		record oneoff foreman unavailable 1
	fi
	if have nf; then
		printf 'nf\tnf run true\n'
	else
		record oneoff nf unavailable 1
	fi
}

say "one-off round trip"
oo_commands >"$oo_app/commands"
r=1
while [ $r -le "$OO_ROUNDS" ]; do
	while IFS='	' read -r tool cmd; do
		case $tool in foreman|nf) runs=$(( (OO_RUNS + 9) / 10 )) ;;
		*) runs=$OO_RUNS ;; esac
		note oneoff "cd APP && hyperfine -N -w 3 -r $runs '$cmd'"
		if s=$(time_command "$runs" $cmd </dev/null); then
			record oneoff "$tool" seconds "${s% *}"
			record oneoff "$tool" min_s "${s#* }"
		else
			failure "oneoff: '$cmd' failed"
		fi
	done <"$oo_app/commands"
	r=$((r + 1))
done

if [ $standalone = 1 ]; then
	python3 "$BENCH_TOP/bench/report.py" --only oneoff "$BENCH_RESULTS"
fi

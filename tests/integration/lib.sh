# Sourced by every integration test. Each test runs in its own temp dir,
# with every process it starts tagged by TEST_TAG in its environment, so
# cleanup can prove that nothing survived.
#
# Exit status: 0 pass, 1 fail, 77 skip.

set -u
: "${FORMATION:?set FORMATION to the formation binary}"
: "${FORMATIOND:=$(dirname "$FORMATION")/formationd}"
TESTS_TOP=${TESTS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export FORMATIOND
T=$(mktemp -d "${TMPDIR:-/tmp}/formation-test.XXXXXX")
TEST_TAG="formation-test-$$-$(basename "$T")"
export TEST_TAG
UP_PID=""
unset FORMATION_SOCKET FORMATION_PROCFILE FORMATION_ENV FORMATION_CONFIG \
    FORMATION_PORT FORMATION_TIMEOUT FORMATION_RESTART FORMATION_SCALE \
    FORMATION_COLOR NO_COLOR NOTIFY_SOCKET JOURNAL_STREAM
cd "$T" || exit 1

fail() {
	echo "FAIL: $*"
	if [ -f "$T/up.log" ]; then
		echo "--- up.log (last 30 lines)"
		tail -n 30 "$T/up.log"
	fi
	exit 1
}

skip() {
	echo "skipped: $*"
	exit 77
}

# Pids of live processes carrying this test's tag (zombies excluded).
survivors() {
	for d in /proc/[0-9]*; do
		[ -r "$d/environ" ] || continue
		grep -qa "TEST_TAG=$TEST_TAG" "$d/environ" 2>/dev/null || continue
		state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' \
		    "$d/status" 2>/dev/null)
		[ "$state" = Z ] && continue
		[ "${d#/proc/}" = "$$" ] && continue
		echo "${d#/proc/}"
	done
}

cleanup() {
	rc=$?
	if [ -n "$UP_PID" ] && kill -0 "$UP_PID" 2>/dev/null; then
		kill -TERM "$UP_PID" 2>/dev/null
		wait_for "! kill -0 $UP_PID 2>/dev/null" 15 ||
		    kill -KILL "$UP_PID" 2>/dev/null
	fi
	left=$(survivors)
	if [ -n "$left" ]; then
		for p in $left; do kill -KILL "$p" 2>/dev/null; done
	fi
	cd / && rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# wait_for "shell condition" [seconds]: poll until true, or fail after the
# bound (default 10 s). Returns 1 on timeout.
wait_for() {
	_limit=$(( ${2:-10} * 20 ))
	_i=0
	while ! eval "$1"; do
		_i=$((_i + 1))
		[ $_i -ge $_limit ] && return 1
		sleep 0.05
	done
	return 0
}

# Start "formation up ARGS" in the background, output in $T/up.log.
start_up() {
	# Empty it here, not in the background child: a test polling it must
	# not see the lines of the run before.
	: >"$T/up.log"
	"$FORMATION" up "$@" >"$T/up.log" 2>&1 &
	UP_PID=$!
}

# Stop the formation started by start_up and wait for it; sets UP_STATUS.
stop_up() {
	kill -"${1:-TERM}" "$UP_PID" 2>/dev/null
	wait "$UP_PID"
	UP_STATUS=$?
	UP_PID=""
}

assert_eq() {	# expected actual what
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

assert_grep() {	# pattern file
	grep -q -- "$1" "$2" || fail "'$1' not found in $2"
}

assert_no_grep() {	# pattern file
	! grep -q -- "$1" "$2" || fail "'$1' unexpectedly found in $2"
}

assert_no_survivors() {
	wait_for '[ -z "$(survivors)" ]' 5 ||
	    fail "processes survived: $(survivors | tr '\n' ' ')"
}

# Lines of $T/up.log matching a basic regular expression.
up_count() {
	if [ -f "$T/up.log" ]; then
		grep -c -- "$1" "$T/up.log"
	else
		echo 0
	fi
}

# The pid of the last start of NAME (web.1) in $T/up.log.
up_pid() {
	sed -n "s/.* system *| $1 started (pid \([0-9]*\))\$/\1/p" \
	    "$T/up.log" | tail -n 1
}

# Seconds since the epoch, with fractions.
now() {
	date +%s.%N
}

# elapsed START: seconds since START (from now), with fractions.
elapsed() {
	echo "$(now) $1" | awk '{ printf "%.3f\n", $1 - $2 }'
}

# ge A B: true when the number A >= B.
ge() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'
}

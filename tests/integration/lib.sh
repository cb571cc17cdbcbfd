# Sourced by every integration test. Each test runs in its own temp dir,
# with every process it starts tagged by TEST_TAG in its environment, so
# cleanup can prove that nothing survived.
#
# Exit status: 0 pass, 1 fail, 77 skip.

set -u
# The files a test writes are its own and no one else's to write: a
# daemon run by root refuses group- or world-writable ones.
umask 022
: "${FORMATION:?set FORMATION to the formation binary}"
: "${FORMATIOND:=$(dirname "$FORMATION")/formationd}"
TESTS_TOP=${TESTS_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
export FORMATIOND
T=$(mktemp -d "${TMPDIR:-/tmp}/formation-test.XXXXXX")
TEST_TAG="formation-test-$$-$(basename "$T")"
export TEST_TAG
UP_PID=""
DAEMON_PID=""
unset FORMATION_SOCKET FORMATION_PROCFILE FORMATION_ENV FORMATION_CONFIG \
    FORMATION_PORT FORMATION_TIMEOUT FORMATION_RESTART FORMATION_SCALE \
    FORMATION_COLOR FORMATION_CLI_TIMEOUT NO_COLOR NOTIFY_SOCKET \
    JOURNAL_STREAM
cd "$T" || exit 1

fail() {
	echo "FAIL: $*"
	if [ -f "$T/up.log" ]; then
		echo "--- up.log (last 30 lines)"
		tail -n 30 "$T/up.log"
	fi
	if [ -f "$T/.formation/formation.log" ]; then
		echo "--- .formation/formation.log (last 30 lines)"
		tail -n 30 "$T/.formation/formation.log"
	fi
	exit 1
}

skip() {
	echo "skipped: $*"
	exit 77
}

# Pids of live processes carrying this test's tag (zombies excluded).
survivors() {
	# One grep over every environ: a loop of greps is slow on a busy box.
	env -u TEST_TAG grep -las -- "TEST_TAG=$TEST_TAG" /proc/[0-9]*/environ \
	    2>/dev/null |
	while read -r f; do
		d=${f%/environ}
		state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' \
		    "$d/status" 2>/dev/null)
		[ -z "$state" ] || [ "$state" = Z ] && continue
		[ "${d#/proc/}" = "$$" ] && continue
		echo "${d#/proc/}"
	done
}

# describe_pid PID: "pid 123 (formationd): formationd -C /tmp/x", for a
# report naming what is left.
describe_pid() {
	_comm=$(cat "/proc/$1/comm" 2>/dev/null)
	_args=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | sed 's/ $//')
	echo "pid $1 ($_comm): $_args"
}

cleanup() {
	rc=$?
	if [ -n "$UP_PID" ] && kill -0 "$UP_PID" 2>/dev/null; then
		kill -TERM "$UP_PID" 2>/dev/null
		wait_for "! kill -0 $UP_PID 2>/dev/null" 15 ||
		    kill -KILL "$UP_PID" 2>/dev/null
	fi
	if [ -n "$DAEMON_PID" ] && alive "$DAEMON_PID"; then
		kill -TERM "$DAEMON_PID" 2>/dev/null
		wait_for "! alive $DAEMON_PID" 15 ||
		    kill -KILL "$DAEMON_PID" 2>/dev/null
	fi
	# What the test left running is a failure of the test, named; it
	# is killed all the same. A process on its way out gets 5 s.
	if ! wait_for '[ -z "$(survivors)" ]' 5; then
		left=$(survivors)
		echo "FAIL: processes survived the test:"
		for p in $left; do
			echo "    $(describe_pid "$p")"
		done
		for p in $left; do kill -KILL "$p" 2>/dev/null; done
		[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] && rc=1
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

# Start "formation up ARGS" in the background, output in $T/up.log. The
# log is emptied first, here: a redirection in the background job could
# happen after the caller has already looked at the previous run's log.
start_up() {
	: >"$T/up.log"
	"$FORMATION" up "$@" >>"$T/up.log" 2>&1 &
	UP_PID=$!
}

# Start "formation up -d ARGS": it returns once the formation is started,
# and the daemon stays in the background. DAEMON_PID gets its pid.
start_detached() {
	"$FORMATION" up -d "$@" >"$T/up-d.out" 2>&1 ||
	    fail "up -d $*: status $?: $(cat "$T/up-d.out")"
	DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' \
	    "$T/up-d.out")
	[ -n "$DAEMON_PID" ] || fail "up -d gave no pid: $(cat "$T/up-d.out")"
	assert_eq formationd "$(cat /proc/"$DAEMON_PID"/comm 2>/dev/null)" \
	    "command of pid $DAEMON_PID"
}

# alive PID: the process exists and is not a zombie.
alive() {
	[ -r "/proc/$1/status" ] || return 1
	! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# ps_json EXPR: print the Python expression EXPR, evaluated with d the
# document "formation ps --json" prints and p its processes by name.
ps_json() {
	"$FORMATION" ps --json >"$T/ps.json" 2>"$T/ps.err" ||
	    fail "ps --json: $(cat "$T/ps.err")"
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
p = {x["name"]: x for x in d["processes"]}
print(eval(sys.argv[2]))' "$T/ps.json" "$1"
}

# ps_field NAME FIELD: one field of one process in "ps --json" (None when
# there is no such process).
ps_field() {
	ps_json "p.get('$1', {}).get('$2')"
}

# env_of PID KEY: the value of KEY in the environment of process PID.
env_of() {
	tr '\0' '\n' <"/proc/$1/environ" 2>/dev/null | sed -n "s/^$2=//p"
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

# The pid of the last start of NAME (web.1) in $T/up.log: its program's,
# or that of the shell that keeps its command.
up_pid() {
	sed -n -e "s/.* system *| $1 started (pid \([0-9]*\))\$/\1/p" \
	    -e "s/.* system *| $1 started (pid \([0-9]*\), \/bin\/sh running the command)\$/\1/p" \
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

# sanitized: the binaries under test are built with AddressSanitizer,
# slower by a few times: loads are sized down and bounds widened there.
sanitized() {
	grep -q __asan_init "$FORMATIOND" 2>/dev/null
}

# fd_count PID: how many descriptors process PID holds.
fd_count() {
	ls "/proc/$1/fd" 2>/dev/null | wc -l
}

# settled_fd_count PID: the fds of process PID once those of a request
# just answered are closed: the fewest seen over half a second, as a
# connection that the client has closed can still be open in a busy
# daemon for a moment.
settled_fd_count() {
	_min=$(fd_count "$1")
	_i=0
	while [ $_i -lt 10 ]; do
		sleep 0.05
		_n=$(fd_count "$1")
		[ "$_n" -lt "$_min" ] && _min=$_n
		_i=$((_i + 1))
	done
	echo "$_min"
}

# rss_kb PID: the resident set size of process PID, in KiB.
rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status"
}

# daemon_baseline: note the fds and RSS of the daemon ($UP_PID) now;
# assert_daemon_baseline: they are back there (RSS within 1 MiB).
daemon_baseline() {
	BASE_FDS=$(settled_fd_count "$UP_PID")
	BASE_RSS=$(rss_kb "$UP_PID")
}

assert_daemon_baseline() {
	wait_for '[ "$(fd_count $UP_PID)" -eq "$BASE_FDS" ]' 5 ||
	    fail "the daemon holds $(fd_count $UP_PID) fds, not $BASE_FDS"
	_rss=$(rss_kb "$UP_PID")
	echo "daemon: $BASE_FDS fds before and after;" \
	    "RSS ${BASE_RSS} KiB, then ${_rss} KiB"
	sanitized || [ $((_rss - BASE_RSS)) -lt 1024 ] ||
	    fail "RSS grew from ${BASE_RSS} KiB to ${_rss} KiB"
}

# zombies PID: the children of process PID that are zombies.
zombies() {
	grep -l "^PPid:[[:space:]]*$1\$" /proc/[0-9]*/status 2>/dev/null |
	    xargs -r grep -l '^State:[[:space:]]*Z' 2>/dev/null |
	    sed 's,^/proc/\([0-9]*\)/status$,\1,'
}

# watch_zombies PID: sample the zombie children of PID every 0.5 s, in
# the background, until unwatch_zombies; then long_zombies SAMPLES lists
# those seen in SAMPLES samples or more: not reaped for that long.
watch_zombies() {
	: >"$T/zombies.seen"
	rm -f "$T/zombies.stop"
	( while [ -d "$T" ] && [ ! -e "$T/zombies.stop" ]; do
		echo $(zombies "$1") >>"$T/zombies.seen" 2>/dev/null
		sleep 0.5
	done ) &
	ZOMBIE_WATCH=$!
}

unwatch_zombies() {
	touch "$T/zombies.stop"
	wait "$ZOMBIE_WATCH"
}

long_zombies() {
	awk -v n="$1" '{ for (i = 1; i <= NF; i++) if (++seen[$i] == n)
		print $i }' "$T/zombies.seen"
}

# Order of logged events, for a test that defines events() (the system
# lines it looks at, in order, without their prefix). event_line
# PATTERN: the number of the first event matching it; before A B: the
# event matching A came before the one matching B.
event_line() {
	events | grep -n -- "$1" | head -n 1 | cut -d: -f1
}
before() {
	_a=$(event_line "$1")
	_b=$(event_line "$2")
	[ -n "$_a" ] && [ -n "$_b" ] && [ "$_a" -lt "$_b" ] ||
	    fail "'$1' (line ${_a:-none}) not before '$2' (line ${_b:-none}):
$(events)"
}

# ge A B: true when the number A >= B.
ge() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'
}

# A datagram receiver standing in for systemd on $T/notify.sock: each
# message a line of $T/notify.log, its newlines shown as '|'.
start_notify_receiver() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    m = s.recv(4096).decode().replace("\n", "|")
    with open(sys.argv[2], "a") as f:
        f.write(m + "\n")
' "$T/notify.sock" "$T/notify.log" &
	RX_PID=$!
	wait_for '[ -S "$T/notify.sock" ]' || fail "the receiver did not start"
	touch "$T/notify.log"
}

stop_notify_receiver() {
	kill "$RX_PID" 2>/dev/null
	wait "$RX_PID" 2>/dev/null
}

# need_other: the test runs commands as a second, unprivileged user
# (nobody, uid OTHER) through as_other; skipped unless it can (root and
# setpriv).
OTHER=65534
as_other() {
	setpriv --reuid=$OTHER --regid=$OTHER --clear-groups "$@"
}

need_other() {
	[ "$(id -u)" = 0 ] || skip "not root: cannot run as another user"
	command -v setpriv >/dev/null || skip "no setpriv"
	as_other true 2>/dev/null || skip "setpriv cannot switch to uid $OTHER"
}

# free_ports N: a base port B such that B .. B+N-1 are free on 127.0.0.1
# now (another test may take one later: a test that needs them soon).
free_ports() {
	python3 -c '
import socket, sys
n = int(sys.argv[1])
for _ in range(100):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    base = s.getsockname()[1]
    s.close()
    if base + n > 65535:
        continue
    try:
        held = []
        for p in range(base, base + n):
            t = socket.socket()
            t.bind(("127.0.0.1", p))
            held.append(t)
        for t in held:
            t.close()
        print(base)
        sys.exit(0)
    except OSError:
        for t in held:
            t.close()
sys.exit(1)
' "$1"
}

# free_port: a TCP port of the loopback no one listens on now.
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# sock_inode PID FD: the inode of the socket at fd FD of PID, or "".
sock_inode() {
	readlink "/proc/$1/fd/$2" 2>/dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p'
}

#!/bin/sh
# No command hangs on a daemon that does not answer (stopped with
# SIGSTOP, its backlog full): each gives up after the timeout with
# "'SOCKET' did not answer within Ns" and exits 125. Once the daemon has
# answered, what takes its time (logs -f, an attached one-off, a release
# phase, down) is waited for, however long. A request that reached the
# daemon is done when it runs again: the CLI gave up, it did not unsend.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: trap 'sleep 1.5; exit 0' TERM; while :; do sleep 0.1; done
release: sleep 1.5
P
start_detached -t 10
sock=.formation/formation.sock

# times_out SECONDS-LABEL CMD...: 125 and the one line, within a bound.
times_out() {
	_label=$1
	shift
	_t0=$(now)
	"$FORMATION" "$@" >out 2>err </dev/null
	_rc=$?
	_t1=$(now)
	assert_eq 125 $_rc "status of '$*' on a stopped daemon"
	assert_eq "formation: '$sock' did not answer within $_label" \
	    "$(cat err)" "stderr of '$*'"
	assert_eq "" "$(cat out)" "stdout of '$*'"
	# Not at once, and not much later (a loaded machine is slow).
	python3 -c "import sys; d = $_t1 - $_t0
sys.exit(0 if ${_label%s} * 0.9 <= d < ${_label%s} + 8 else 1)" ||
	    fail "'$*' gave up after $(python3 -c "print($_t1 - $_t0)")s"
}

kill -STOP "$DAEMON_PID"
for cmd in "ps" "ps --json" "scale web=2" "restart" "stop web" \
    "start web" "kill -s HUP web" "logs" "logs -f" "env" "reload" \
    "releases" "releases show v1" "rollback v1" "run web" "run -d web" \
    "oneoff true" "oneoff -t true" "down"; do
	# shellcheck disable=SC2086
	times_out 0.5s --timeout 0.5 $cmd
done
# The default, and the variable; the option wins over it.
times_out 5s ps
FORMATION_CLI_TIMEOUT=1 times_out 1s ps
FORMATION_CLI_TIMEOUT=9 times_out 0.5s --timeout 0.5 ps

# A full backlog: connect itself would wait.
python3 - "$sock" <<'PY' &
import socket, sys, time
held = []
while True:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(sys.argv[1])
    except BlockingIOError:
        break
    held.append(s)
open("backlog-full", "w").write(str(len(held)))
time.sleep(30)
PY
filler=$!
wait_for '[ -s backlog-full ]' 20 || fail "could not fill the backlog"
times_out 0.5s --timeout 0.5 ps
kill "$filler"
wait "$filler" 2>/dev/null

# What reached the daemon is done once it runs again, down last: the
# CLI can tell that it gave up, not take a request back.
kill -CONT "$DAEMON_PID"
wait_for "! alive $DAEMON_PID" 30 || fail "the queued down was not done"
DAEMON_PID=""
start_detached -t 10

# Answered, a follower waits for lines longer than the timeout.
"$FORMATION" --timeout 0.5 logs -f -n 1 >follow.out 2>follow.err &
follower=$!
wait_for '[ -s follow.out ]' || fail "logs -f printed nothing"
"$FORMATION" oneoff -d 'sleep 1.5; echo late-line' >/dev/null ||
    fail "oneoff -d"
wait_for 'grep -q late-line follow.out' 15 ||
    fail "logs -f gave up: $(cat follow.err)"
alive "$follower" || fail "logs -f ended: $(cat follow.err)"
kill "$follower"
wait "$follower" 2>/dev/null

# An attached one-off, longer than the timeout.
"$FORMATION" --timeout 0.5 oneoff 'sleep 1.5; echo one-off-done' \
    >out 2>err </dev/null || fail "attached one-off: $(cat err)"
assert_eq one-off-done "$(cat out)" "one-off output"

# A release phase longer than the timeout.
printf 'worker: exec sleep 600\n' >>Procfile
"$FORMATION" --timeout 0.5 reload >out 2>err ||
    fail "reload with a slow release phase: $(cat err)"
assert_grep 'release phase of v2 passed' out

# down waits for web's 1.5 s of stopping.
"$FORMATION" --timeout 0.5 down >out 2>err || fail "down: $(cat err)"
assert_eq "formation is down" "$(cat out)" "down"
DAEMON_PID=""
assert_no_survivors
exit 0

#!/bin/sh
# down stops the formation and the daemon, and returns only once they are
# gone: no process left, no socket, and the app can be brought up again
# at once.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

# stubborn ignores SIGTERM: it takes the timeout and a SIGKILL.
# escapee leaves its process group; the daemon must still end it.
cat >Procfile <<'P'
web: exec sleep 600
stubborn: trap '' TERM; exec sleep 601
escapee: setsid sleep 602 & exec sleep 603
P
start_detached -t 1
wait_for '[ "$(survivors | wc -l)" -ge 5 ]' 5 ||
    fail "not every process started: $(survivors | wc -l)"
stubborn=$(ps_field stubborn.1 pid)

start=$(date +%s%N)
"$FORMATION" down >out 2>err
rc=$?
took=$(( ($(date +%s%N) - start) / 1000000 ))
assert_eq 0 $rc "down status"
assert_eq "formation is down" "$(cat out)" "down output"
assert_eq "" "$(cat err)" "down stderr"
# Checked at once, not polled: down has waited for all of it.
alive "$DAEMON_PID" && fail "the daemon (pid $DAEMON_PID) is still alive"
alive "$stubborn" && fail "stubborn.1 (pid $stubborn) is still alive"
left=$(survivors)
[ -z "$left" ] || fail "processes survived down: $left"
[ "$took" -ge 900 ] || fail "down returned after ${took} ms, before the timeout"
[ -e .formation/formation.sock ] && fail "the socket is still there"
[ -e .formation/formation.lock ] && fail "the lock is still there"
assert_grep 'system *| down requested (pid [0-9]*)$' .formation/formation.log
assert_grep 'system *| stubborn\.1 did not stop within 1\.0s: sending SIGKILL$' \
    .formation/formation.log
assert_grep 'system *| stubborn\.1 killed by SIGKILL$' .formation/formation.log

# Up again straight away, then down again.
start_detached -t 1
"$FORMATION" ps >/dev/null || fail "ps after the second up failed"
"$FORMATION" down >out 2>err
assert_eq 0 $? "second down status"
alive "$DAEMON_PID" && fail "the second daemon is still alive"

# Nothing is up now: that is what down wants, for cleanup scripts.
"$FORMATION" down >out 2>err
assert_eq 0 $? "down with no daemon: status"
assert_eq "no formation is up" "$(cat out)" "down with no daemon: output"
assert_eq "" "$(cat err)" "down with no daemon: stderr"
# Nor is one over a stale socket, nor anywhere without a Procfile.
mkdir -p .formation
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
    .formation/formation.sock
"$FORMATION" down >out 2>err
assert_eq 0 $? "down over a stale socket: status"
assert_eq "no formation is up" "$(cat out)" "down over a stale socket"
"$FORMATION" --socket "$T/none.sock" down >out 2>err
assert_eq 0 $? "down on a named socket with none up: status"
assert_eq "no formation is up" "$(cat out)" "down on a named socket"
"$FORMATION" down now >out 2>err
assert_eq 2 $? "down now: status"
assert_grep '^usage: formation down$' err
exit 0

#!/bin/sh
# One daemon per app root, whatever its socket: the lock is in the app's
# .formation. A daemon whose socket lives elsewhere (systemd's
# $RUNTIME_DIRECTORY, --socket) leaves a link to it there, so the CLI
# finds it from the app, and a second up in the app is refused naming
# that socket. Under $STATE_DIRECTORY the history moves there; the lock
# and the link stay in .formation.
. "$(dirname "$0")/lib.sh"

mkdir -p app/lib
printf 'web: exec sleep 600\n' >app/Procfile
cd app || fail "cd app"
run=$T/run/formation-app
mkdir "$T/run"
RUNTIME_DIRECTORY=$run STATE_DIRECTORY=$T/state start_detached -t 1
assert_eq "700 directory" "$(stat -c '%a %F' "$run")" "the runtime directory"
assert_eq "socket" "$(stat -c %F "$run/formation.sock")" "the socket"
assert_eq "$run/formation.sock" "$(readlink .formation/formation.sock)" \
    "the link in .formation"
[ -f "$T/state/releases/v1.release" ] || fail "no v1 in \$STATE_DIRECTORY"
[ -e .formation/releases ] && fail "releases in .formation too"
assert_eq ".gitignore formation.lock formation.sock" \
    "$(ls -A .formation | tr '\n' ' ' | sed 's/ $//')" "what .formation holds"

# Found from the app and below it, with no --socket.
pid=$(ps_field web.1 pid)
(cd lib && "$FORMATION" ps) >out 2>err || fail "ps from app/lib: $(cat err)"
grep -q "^web\.1  *running  *$pid " out || fail "ps from app/lib: $(cat out)"

# A second daemon for the app is refused, whatever its socket.
for how in "" "--socket $T/other.sock" "RUNTIME_DIRECTORY=$T/run/x"; do
	case $how in
	RUNTIME*) env "$how" "$FORMATION" up -d -t 1 >out 2>err ;;
	*) "$FORMATION" up -d -t 1 $how >out 2>err ;;
	esac
	assert_eq 1 $? "second up ($how): status"
	assert_eq "formation: a formation is already up here (socket '$run/formation.sock')" \
	    "$(cat err)" "second up ($how)"
done
[ -e "$T/other.sock" ] && fail "the second daemon made its socket"
[ -e "$T/run/x" ] && fail "the second daemon made its runtime directory"
assert_eq "v1.release" "$(ls "$T/state/releases")" "the history"
assert_eq "$pid" "$(ps_field web.1 pid)" "web.1 after the second ups"

"$FORMATION" down >/dev/null || fail "down failed"
assert_eq ".gitignore" "$(ls -A .formation)" ".formation after down"
[ -e "$run/formation.sock" ] && fail "the socket was left behind"

# Killed, it leaves a link to nothing: nothing is up, and the next up
# replaces it.
start_detached -t 1 --socket "$T/named.sock"
assert_eq "$T/named.sock" "$(readlink .formation/formation.sock)" "the link"
"$FORMATION" ps >out 2>err || fail "ps through the link: $(cat err)"
kill -KILL "$DAEMON_PID"
wait_for "! alive $DAEMON_PID" 5 || fail "the daemon survived SIGKILL"
for p in $(survivors); do kill -KILL "$p"; done
"$FORMATION" ps >out 2>err
assert_eq 1 $? "ps through a stale link: status"
assert_eq "formation: no formation is up in '$T/app' (socket '.formation/formation.sock')" \
    "$(cat err)" "ps through a stale link"
start_detached -t 1
assert_eq socket "$(stat -c %F .formation/formation.sock)" "the socket, again"
"$FORMATION" down >/dev/null || fail "down failed"

# Two apps cannot share a socket.
mkdir "$T/two"
printf 'web: exec sleep 600\n' >"$T/two/Procfile"
start_detached -t 1 --socket "$T/shared.sock"
"$FORMATION" -C "$T/two" up -d -t 1 --socket "$T/shared.sock" >out 2>err
assert_eq 1 $? "a second app on the same socket: status"
assert_eq "formation: socket '$T/shared.sock' is another formation's" \
    "$(cat err)" "a second app on the same socket"
"$FORMATION" --socket "$T/shared.sock" ps >out 2>err || fail "ps: $(cat err)"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

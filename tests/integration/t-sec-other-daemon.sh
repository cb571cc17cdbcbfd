#!/bin/sh
# Root drives another user's daemon when it names the socket: the daemon
# and the socket file are both nobody's, so the CLI talks to it, and says
# whose daemon it is. Found by walking up from nobody's app, the same
# daemon is refused (exit 125): nothing tells root it is the app's.
. "$(dirname "$0")/lib.sh"
need_other

chmod 755 "$T"
mkdir -p theirs/app/sub
printf 'web: exec sleep 600\n' >theirs/app/Procfile
cp "$FORMATION" "$FORMATIOND" theirs/
chown -R $OTHER theirs
(cd theirs/app && as_other ../formation up -d -t 1) >out 2>err ||
    fail "up -d as nobody: $(cat err)"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' out)
sock=$T/theirs/app/.formation/formation.sock
assert_eq "$OTHER $OTHER" "$(stat -c %u "$sock") $(stat -c %u /proc/$DAEMON_PID)" \
    "owners of the socket and the daemon"

"$FORMATION" --socket "$sock" ps >out 2>err || fail "ps as root: $(cat err)"
assert_eq "formation: talking to the daemon of uid $OTHER (nobody) on '$sock'" \
    "$(cat err)" "ps as root, on nobody's socket"
assert_grep '^web\.1  *running ' out
FORMATION_SOCKET=$sock "$FORMATION" restart web >out 2>err ||
    fail "restart as root: $(cat err)"

(cd theirs/app/sub && "$FORMATION" ps) >out 2>err
assert_eq 125 $? "ps as root from below nobody's app: status"
assert_eq "formation: refusing '$sock': it belongs to uid $OTHER (nobody)" \
    "$(cat err)" "ps as root from below nobody's app"

# nobody itself finds its daemon from its app, and talks to it quietly.
(cd theirs/app/sub && as_other ../../formation ps) >out 2>err ||
    fail "ps as nobody: $(cat err)"
assert_eq "" "$(cat err)" "ps as nobody: stderr"
"$FORMATION" --socket "$sock" down >/dev/null 2>&1 || fail "down as root"
assert_no_survivors

# An app root nobody may not write, with a $STATE_DIRECTORY of its own:
# the lock and the socket go there, with a warning.
mkdir -m 755 ro
printf 'web: exec sleep 600\n' >ro/Procfile
mkdir -m 700 state
chown $OTHER state
(cd ro && STATE_DIRECTORY=$T/state as_other ../theirs/formation up -d -t 1) \
    >out 2>err || fail "up -d as nobody in root's app: $(cat err)"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' out)
assert_eq "formation: cannot create '$T/ro/.formation': Permission denied: the lock and the socket go to '$T/state', where a daemon started in the app root cannot see them" \
    "$(cat err)" "up -d as nobody in root's app"
assert_eq "socket" "$(stat -c %F state/formation.sock)" "the socket"
[ -f state/formation.lock ] || fail "no lock in \$STATE_DIRECTORY"
as_other theirs/formation --socket "$T/state/formation.sock" down \
    >/dev/null || fail "down as nobody"
assert_no_survivors
exit 0

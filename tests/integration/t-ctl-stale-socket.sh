#!/bin/sh
# A daemon killed with SIGKILL leaves its socket file behind: the CLI
# reports that nothing is up, and the next up replaces the stale socket.
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 600\n' >Procfile
start_detached -t 1
old=$DAEMON_PID
orphan=$("$FORMATION" ps | sed -n 's/^web\.1  *running  *\([0-9]*\) .*/\1/p')
[ -n "$orphan" ] || fail "no pid for web.1"
kill -KILL "$old"
wait_for "! alive $old" 5 || fail "the daemon survived SIGKILL"
[ -S .formation/formation.sock ] || fail "no stale socket to test with"

"$FORMATION" ps >out 2>err
assert_eq 1 $? "ps on a stale socket"
assert_eq "formation: no formation is up in '$(pwd -P)' (socket '.formation/formation.sock')" \
    "$(cat err)" "ps on a stale socket"

start_detached -t 1
[ "$DAEMON_PID" != "$old" ] || fail "the same daemon?"
# The dead socket answered nothing; this one does.
"$FORMATION" ps >out 2>err || fail "ps after the new up: $(cat err)"
assert_grep '^web\.1  *running ' out
assert_no_grep " $orphan " out
"$FORMATION" down >/dev/null || fail "down failed"

# What the killed daemon ran was orphaned: not ours to judge here.
kill -KILL "$orphan" 2>/dev/null
assert_no_survivors
exit 0

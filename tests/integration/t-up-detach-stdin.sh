#!/bin/sh
# up -d keeps nothing of its caller's input: the daemon's stdin is
# /dev/null, not the terminal (or file) up -d was started from, which
# the daemon would otherwise hold open for as long as it runs.
. "$(dirname "$0")/lib.sh"

echo 'web: exec sleep 1000' >Procfile
echo 'typed ahead' >input
"$FORMATION" up -d <input >up-d.out 2>&1 || fail "up -d: $(cat up-d.out)"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' up-d.out)
[ -n "$DAEMON_PID" ] || fail "no pid: $(cat up-d.out)"
assert_eq /dev/null "$(readlink /proc/$DAEMON_PID/fd/0)" "the daemon's stdin"
"$FORMATION" down >/dev/null || fail "down failed"
wait_for "! alive $DAEMON_PID" || fail "the daemon did not exit"
assert_no_survivors
exit 0

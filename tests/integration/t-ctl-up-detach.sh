#!/bin/sh
# up -d returns once the formation is started, leaving the daemon in the
# background; when the daemon cannot start, up -d fails with its error and
# its exit status (78 for a bad Procfile), and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: exec sleep 600
worker: exec sleep 601
P
start_detached -t 1 -m web=2
grep -q "^formation is up (pid $DAEMON_PID); see 'formation ps' and 'formation logs -f'\$" \
    up-d.out || fail "up -d said: $(cat up-d.out)"
# Started means started: checked at once, not polled.
assert_eq "running running running" \
    "$(ps_json '" ".join(x["state"] for x in d["processes"])')" "states"
for name in web.1 web.2 worker.1; do
	pid=$(ps_field $name pid)
	assert_eq $name "$(env_of "$pid" PS)" "PS of pid $pid"
done
# The daemon is on its own: not in our session, stdio not ours.
[ "$(ps -o sid= -p "$DAEMON_PID" | tr -d ' ')" = "$DAEMON_PID" ] ||
    fail "the daemon does not lead a session of its own"
assert_eq /dev/null "$(readlink /proc/"$DAEMON_PID"/fd/1)" "daemon stdout"

# A second up for the same app is refused.
"$FORMATION" up -d >out 2>err
assert_eq 1 $? "second up -d status"
assert_eq "" "$(cat out)" "second up -d stdout"
assert_grep "a formation is already up here (socket '$T/.formation/formation.sock')\$" err
"$FORMATION" ps >/dev/null || fail "the first daemon stopped answering"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

# up -d TYPE: only those types.
start_detached -t 1 worker
assert_eq worker.1 "$(ps_json '" ".join(sorted(p))')" "processes of up -d worker"
"$FORMATION" down >/dev/null || fail "down failed"

# Errors in the files: the daemon's own message, status 78.
printf 'web: exec sleep 600\nweb: exec sleep 601\n' >Procfile
"$FORMATION" up -d >out 2>err
assert_eq 78 $? "up -d with a duplicate type: status"
assert_eq "" "$(cat out)" "up -d with a duplicate type: stdout"
assert_grep "Procfile:2: duplicate process type 'web'" err
[ -e .formation/formation.sock ] && fail "a socket was left behind"
assert_no_survivors
printf 'web: exec sleep 600\n' >Procfile
printf 'KEY="unterminated\n' >.env
"$FORMATION" up -d >out 2>err
assert_eq 78 $? "up -d with a bad .env: status"
assert_grep '\.env:1: ' err
rm .env
"$FORMATION" up -d nope >out 2>err
assert_eq 78 $? "up -d nope: status"
assert_grep "unknown process type 'nope'" err
assert_no_survivors
"$FORMATION" ps >out 2>err
assert_eq 1 $? "ps after the failed ups"
exit 0

#!/bin/sh
# The daemon killed with SIGKILL: each of its direct children, instances
# and one-offs, dies with it (PR_SET_PDEATHSIG); the CLI of an attached
# one-off does not hang; and a new up starts cleanly over the stale socket
# and lock. (A grandchild in an instance's group, the sleep of "wrap",
# outlives it: none of the daemon's own doing can reach it once the
# daemon is dead. Reported, not checked.)
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: exec sleep 1000
wrap: sleep 1000 & wait
P
start_detached -t 1 -m web=5
"$FORMATION" oneoff -d sleep 1000 >detach.out 2>&1 ||
    fail "oneoff -d: $(cat detach.out)"
"$FORMATION" oneoff -T sleep 1000 </dev/null >attached.out 2>&1 &
CLI=$!
wait_for '[ "$(ps_json "sum(x[\"pid\"] is not None for x in d[\"processes\"])")" -eq 8 ]' ||
    fail "not all running: $(cat "$T/ps.json")"
direct=$(ps_json '" ".join(str(x["pid"]) for x in d["processes"])')
for p in $direct; do
	assert_eq "$DAEMON_PID" "$(sed 's/^.*) [A-Z] \([0-9]*\) .*/\1/' \
	    /proc/$p/stat)" "parent of $p"
done
old=$DAEMON_PID

t0=$(now)
kill -KILL "$old"
wait_for "! alive $old" 5 || fail "the daemon survived SIGKILL"
left=""
wait_for 'left=""; for p in $direct; do alive $p && left="$left $p"; done;
    [ -z "$left" ]' 5 || fail "direct children survived the daemon:$left"
took=$(elapsed "$t0")
wait_for "! kill -0 $CLI 2>/dev/null" 5 || fail "the attached CLI hangs"
wait "$CLI"
rc=$?
assert_eq 125 "$rc" "status of the attached CLI once the daemon is gone"
assert_grep "^formation: " attached.out
orphans=$(survivors)
echo "the 8 direct children died ${took}s after the daemon;" \
    "the CLI exited $rc; $(echo $orphans | wc -w) grandchild survived"
for p in $orphans; do
	[ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] ||
	    fail "survivor $p is $(cat /proc/$p/comm 2>/dev/null), not a sleep"
	kill -KILL "$p"
done

[ -S .formation/formation.sock ] || fail "no stale socket to test with"
start_detached -t 1 -m web=5
[ "$DAEMON_PID" != "$old" ] || fail "the same daemon?"
"$FORMATION" ps >out 2>err || fail "ps after the new up: $(cat err)"
assert_eq 5 "$(grep -c '^web\.[0-9]  *running ' out)" "web instances"
assert_grep '^wrap\.1  *running ' out
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

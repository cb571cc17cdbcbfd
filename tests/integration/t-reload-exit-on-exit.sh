# Under --exit-on-exit, the restarts a reload or a restart asks for are
# not exits of the formation; a process that exits on its own still is.
. "$(dirname "$0")/lib.sh"

printf 'web: echo "$GREETING" >out; exec sleep 1000\n' >Procfile
echo GREETING=hello >.env
start_up -t 1 --exit-on-exit
wait_for '[ -s out ]' || fail "the formation did not start"
echo GREETING=bye >.env
"$FORMATION" reload >/dev/null 2>&1 || fail "reload failed"
wait_for 'grep -q bye out' || fail "web did not restart: $(cat out)"
"$FORMATION" restart web >/dev/null 2>&1 || fail "restart failed"
wait_for '[ "$(grep -c "web.1 started" up.log)" = 3 ]' ||
    fail "web.1 did not restart"
kill -0 "$UP_PID" || fail "the formation ended"
assert_no_grep 'ended the formation' up.log

pid=$("$FORMATION" ps --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["processes"][0]["pid"])')
kill -KILL "$pid"
wait_for '! kill -0 "$UP_PID" 2>/dev/null' || fail "the formation went on"
stop_up
assert_eq 137 "$UP_STATUS" "status of up"
assert_grep 'web.1 ended the formation (--exit-on-exit)' up.log
assert_no_survivors

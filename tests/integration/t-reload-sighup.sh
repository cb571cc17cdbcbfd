# SIGHUP to the daemon reloads; a failed build on SIGHUP is logged and
# changes nothing.
. "$(dirname "$0")/lib.sh"

printf 'web: echo "$GREETING $FORMATION_RELEASE" >out; exec sleep 1000\n' \
    >Procfile
echo GREETING=hello >.env
start_up -t 1
wait_for '[ -s out ]' || fail "the formation did not start"
assert_eq "hello v1" "$(cat out)" "before"

echo GREETING=bye >.env
kill -HUP "$UP_PID"
wait_for 'grep -q "bye v2" out' || fail "SIGHUP did not reload: $(cat out)"
assert_grep 'SIGHUP received: reloading' up.log
assert_grep 'reloading: v1 -> v2' up.log
wait_for 'grep -q "reloaded: v2" up.log' || fail "the roll did not end"
pid=$("$FORMATION" ps --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["processes"][0]["pid"])')

echo 'GREETING="oops' >.env
kill -HUP "$UP_PID"
wait_for 'grep -q "reload failed: v2 is still running" up.log' ||
    fail "no failure in the log"
assert_grep 'reload: \.env:1: unterminated quote' up.log
kill -0 "$UP_PID" || fail "the daemon died"
after=$("$FORMATION" ps --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["release"], d["processes"][0]["pid"])')
assert_eq "v2 $pid" "$after" "after the failed SIGHUP"
stop_up
assert_eq 0 "$UP_STATUS" "daemon status"
assert_no_survivors

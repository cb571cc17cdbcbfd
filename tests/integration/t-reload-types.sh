# reload with a changed Procfile: a type gone from it stops and leaves
# ps, a new type starts at its count (and its Procfile port), a stopped
# instance stays stopped and takes the new release when started.
. "$(dirname "$0")/lib.sh"

state() {
	"$FORMATION" ps --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(*[p["name"] + ":" + p["state"] + ":" + p["release"]
    for p in d["processes"]])'
}

cat >Procfile <<'EOF2'
web: echo "$FORMATION_RELEASE" >"out.$PS"; exec sleep 1000
worker: echo "$FORMATION_RELEASE" >"out.$PS"; exec sleep 1000
EOF2
start_up -t 1 -m web=2
wait_for '[ -s out.web.2 ] && [ -s out.worker.1 ]' ||
    fail "the formation did not start"
worker=$("$FORMATION" ps --json | python3 -c 'import json, sys
print([p["pid"] for p in json.load(sys.stdin)["processes"]
    if p["name"] == "worker.1"][0])')
"$FORMATION" stop web.2 >/dev/null || fail "stop failed"
want="web.1:running:v1 web.2:stopped:v1 worker.1:running:v1"
wait_for '[ "$(state)" = "$want" ]' ||
    fail "web.2 did not stop: $(state)"

cat >Procfile <<'EOF2'
web: echo "$FORMATION_RELEASE" >"out.$PS"; exec sleep 1000
clock: echo "$FORMATION_RELEASE $PORT" >"out.$PS"; exec sleep 1000
EOF2
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "reloaded: v2 (1 process restarting)" "$(cat reload.out)" \
    "reload output"
want="web.1:running:v2 web.2:stopped:v1 clock.1:running:v2"
wait_for '[ "$(state)" = "$want" ]' ||
    fail "not the new formation: $(state)"
wait_for '! kill -0 '"$worker"' 2>/dev/null' || fail "worker.1 still runs"
wait_for '[ -s out.clock.1 ]' || fail "clock.1 wrote nothing"
assert_eq "v2 5100" "$(cat out.clock.1)" "clock.1"
assert_grep 'worker.1 stopping (SIGTERM, removed from the Procfile)' up.log

"$FORMATION" start web.2 >/dev/null || fail "start failed"
wait_for 'grep -q v2 out.web.2' || fail "web.2 did not start on v2"
assert_eq "web.1:running:v2 web.2:running:v2 clock.1:running:v2" \
    "$(state)" "after start"
stop_up
assert_no_survivors

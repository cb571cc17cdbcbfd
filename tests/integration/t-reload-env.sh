# reload with a changed env value: every instance restarts onto the new
# release and sees the new value, one instance of a type at a time, on
# the same port.
. "$(dirname "$0")/lib.sh"

pid_of() {
	"$FORMATION" ps --json | python3 -c 'import json, sys
print([p["pid"] for p in json.load(sys.stdin)["processes"]
    if p["name"] == sys.argv[1]][0])' "$1"
}

cat >Procfile <<'EOF2'
web: echo "$GREETING $PORT $FORMATION_RELEASE" >"out.$PS"; exec sleep 1000
worker: echo "$GREETING $PORT $FORMATION_RELEASE" >"out.$PS"; exec sleep 1000
EOF2
echo GREETING=hello >.env
start_up -t 1 -m web=2
wait_for '[ -s out.web.1 ] && [ -s out.web.2 ] && [ -s out.worker.1 ]' ||
    fail "the formation did not start"
assert_eq "hello 5000 v1" "$(cat out.web.1)" "web.1 before"
w1=$(pid_of web.1) w2=$(pid_of web.2) k1=$(pid_of worker.1)

echo GREETING=bye >.env
"$FORMATION" reload >reload.out 2>reload.err || fail "reload failed"
assert_eq "reloaded: v2 (3 processes restarting)" "$(cat reload.out)" \
    "reload output"
[ -s reload.err ] && fail "reload said: $(cat reload.err)"
wait_for 'grep -q "reloaded: v2" up.log' || fail "the roll did not end"
wait_for 'grep -q ^bye out.web.1 && grep -q ^bye out.web.2 &&
    grep -q ^bye out.worker.1' || fail "not every process sees the new value"
assert_eq "bye 5000 v2" "$(cat out.web.1)" "web.1 after"
assert_eq "bye 5001 v2" "$(cat out.web.2)" "web.2 after"
assert_eq "bye 5100 v2" "$(cat out.worker.1)" "worker.1 after"
for p in $w1 $w2 $k1; do
	kill -0 "$p" 2>/dev/null && fail "old process $p still runs"
done
[ "$(pid_of web.1)" != "$w1" ] || fail "web.1 kept its pid"

# web.2 was stopped only once web.1 ran again.
restarted=$(grep -n 'web\.1 started' up.log | sed -n 2p | cut -d: -f1)
stopping=$(grep -n 'web\.2 stopping (SIGTERM, reload)' up.log | cut -d: -f1)
[ -n "$restarted" ] && [ -n "$stopping" ] || fail "no rolling restart"
[ "$restarted" -lt "$stopping" ] ||
    fail "web.2 stopped before web.1 was back"

rels=$("$FORMATION" ps --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["release"], *sorted({p["release"] for p in d["processes"]}))')
assert_eq "v2 v2" "$rels" "releases in ps"
stop_up
assert_no_survivors

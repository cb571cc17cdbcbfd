# rollback vN makes a new release with vN's content and restarts onto it;
# releases --json shows the history.
. "$(dirname "$0")/lib.sh"

printf 'web: echo "$GREETING $FORMATION_RELEASE" >out; exec sleep 1000\n' \
    >Procfile
printf 'GREETING=hello\nOTHER=1\n' >.env
start_up -t 1
wait_for '[ -s out ]' || fail "the formation did not start"
printf 'GREETING=bye\n' >.env
"$FORMATION" reload >/dev/null 2>&1 || fail "reload failed"
wait_for 'grep -q "bye v2" out' || fail "no v2: $(cat out)"

"$FORMATION" rollback v1 >rb.out 2>&1 || fail "rollback: $(cat rb.out)"
assert_eq "rolled back to v1: v3 (1 process restarting)" "$(cat rb.out)" \
    "rollback output"
wait_for 'grep -q "hello v3" out' || fail "v1's value is not back: $(cat out)"
wait_for 'grep -q "rolled back: v3" up.log' || fail "the roll did not end"

"$FORMATION" releases --json >rel.json || fail "releases failed"
python3 - <<'EOF2' || fail "bad history: $(cat rel.json)"
import json
d = json.load(open("rel.json"))
assert [r["version"] for r in d] == ["v1", "v2", "v3"], d
assert [r["current"] for r in d] == [False, False, True], d
assert d[0]["env_keys"] == ["GREETING", "OTHER"], d[0]
assert d[1]["env_keys"] == ["GREETING"], d[1]
for k in ("processes", "env_keys"):
    assert d[2][k] == d[0][k], (k, d[2], d[0])
EOF2

"$FORMATION" rollback 3 >rb.out 2>&1 || fail "rollback 3: $(cat rb.out)"
assert_eq "no change: v3 is current" "$(cat rb.out)" "rollback to current"
"$FORMATION" rollback v1 >rb.out 2>&1 || fail "rollback v1: $(cat rb.out)"
assert_eq "no change: v3, the current release, has the content of v1" \
    "$(cat rb.out)" "rollback to the current content"
"$FORMATION" rollback v9 >rb.out 2>&1
assert_eq 1 $? "rollback v9 status"
assert_eq "formation: no release v9 (releases: v1, v2, v3)" "$(cat rb.out)" \
    "rollback v9"
"$FORMATION" rollback vx >rb.out 2>&1
assert_eq 2 $? "rollback vx status"
assert_eq 3 "$(ls .formation/releases | wc -l)" "release files"
stop_up
assert_no_survivors

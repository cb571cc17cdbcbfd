# The release history outlives the daemon: after a restart, releases
# lists it, the same files make no new version, and a rollback to a
# release of the earlier daemon works.
. "$(dirname "$0")/lib.sh"

printf 'web: echo "$GREETING $FORMATION_RELEASE" >out; exec sleep 1000\n' \
    >Procfile
echo GREETING=hello >.env
t0=$(date +%s)
start_up -t 1
wait_for '[ -s out ]' || fail "the formation did not start"
echo GREETING=bye >.env
"$FORMATION" reload >/dev/null 2>&1 || fail "reload failed"
wait_for 'grep -q "bye v2" out' || fail "no v2: $(cat out)"
stop_up
assert_no_survivors

rm out
start_up -t 1
wait_for '[ -s out ]' || fail "the formation did not start again"
assert_eq "bye v2" "$(cat out)" "after the restart"
"$FORMATION" releases --json >rel.json || fail "releases failed"
python3 - "$t0" "$(date +%s)" <<'EOF2' || fail "bad history: $(cat rel.json)"
import calendar, json, re, sys, time
lo, hi = int(sys.argv[1]), int(sys.argv[2])
d = json.load(open("rel.json"))
assert [r["version"] for r in d] == ["v1", "v2"], d
assert [r["current"] for r in d] == [False, True], d
for r in d:
    assert sorted(r) == ["code", "created_at", "current", "description",
        "env_keys", "processes", "reason", "status", "summary",
        "version"], r
    assert r["status"] == "ok", r
    assert r["code"] is None, r
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r["created_at"])
    t = calendar.timegm(time.strptime(r["created_at"], "%Y-%m-%dT%H:%M:%SZ"))
    assert lo - 1 <= t <= hi + 1, (lo, t, hi)
    assert r["processes"] == [{"name": "web", "command":
        'echo "$GREETING $FORMATION_RELEASE" >out; exec sleep 1000'}], r
    assert r["env_keys"] == ["GREETING"], r
EOF2

"$FORMATION" rollback v1 >rb.out 2>&1 || fail "rollback: $(cat rb.out)"
wait_for 'grep -q "hello v3" out' || fail "v1's value is not back: $(cat out)"
"$FORMATION" releases >rel.txt || fail "releases failed"
assert_eq 4 "$(wc -l <rel.txt)" "lines of releases"
assert_grep '^VERSION  *CREATED  *CURRENT  *CODE  *PROCESSES  *ENV KEYS  *DESCRIPTION$' rel.txt
assert_grep '^v3  *[0-9-]* [0-9:]*  *\*  *none  *web  *1  *rollback of v1: GREETING changed$' rel.txt
assert_grep '^v1  *[0-9-]* [0-9:]*  *none  *web  *1  *up: first release$' rel.txt
stop_up
assert_no_survivors

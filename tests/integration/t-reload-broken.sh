# A reload whose build fails changes nothing: exit 78, every error with
# its file and line, the same processes with the same pids, the same
# current release.
. "$(dirname "$0")/lib.sh"

pids() {
	"$FORMATION" ps --json | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["release"], *[p["name"] + "=" + str(p["pid"]) for p in d["processes"]])'
}

printf 'web: exec sleep 1000\nworker: exec sleep 1000\n' >Procfile
echo GREETING=hello >.env
start_up -t 1
wait_for '"$FORMATION" ps 2>/dev/null | grep -q "worker.1 *running"' ||
    fail "the formation did not start"
before=$(pids)

printf 'web: exec sleep 1000\nworker: exec sleep 1000\nweb: true\n' >Procfile
printf 'not a statement\nGREETING="bye\n' >.env
printf '[nosuch]\n' >formation.ini
"$FORMATION" reload >reload.out 2>reload.err
assert_eq 78 $? "reload status"
assert_grep '^formation: formation\.ini:1: unknown section' reload.err
assert_grep '^formation: Procfile:3: duplicate process type' reload.err
assert_grep '^formation: \.env:2: unterminated quote' reload.err
assert_grep '^formation: warning: \.env:1: ignored line' reload.err
assert_grep '^formation: reload failed: 3 errors; v1 is still running$' \
    reload.err
[ -s reload.out ] && fail "reload printed on stdout: $(cat reload.out)"
assert_grep 'reload failed: v1 is still running' up.log

assert_eq "$before" "$(pids)" "processes after the failed reload"
"$FORMATION" releases --json >rel.json || fail "releases failed"
assert_eq "v1 True" "$(python3 -c 'import json, sys
d = json.load(open("rel.json"))
print(*[r["version"] + " " + str(r["current"]) for r in d])')" "history"
assert_eq "" "$(ls .formation/releases | grep -v '^v1\.release$')" \
    "release files"

# Mended, the next reload goes through.
rm formation.ini
printf 'web: exec sleep 1000\nworker: exec sleep 1000\n' >Procfile
echo GREETING=bye >.env
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep '^reloaded: v2 ' reload.out
stop_up
assert_no_survivors

# A reload that builds what runs makes no new version and restarts
# nothing; a count changed in formation.ini still applies.
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 1000\n' >Procfile
echo GREETING=hello >.env
start_up -t 1
wait_for '"$FORMATION" ps 2>/dev/null | grep -q "web.1 *running"' ||
    fail "the formation did not start"
before=$("$FORMATION" ps --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["processes"][0]["pid"])')

"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v1 is current" "$(cat reload.out)" "reload output"
printf '[scale]\nweb = 2\n' >formation.ini
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v1 is current" "$(cat reload.out)" "second reload"
wait_for '"$FORMATION" ps 2>/dev/null | grep -q "web.2 *running"' ||
    fail "web.2 did not start"

after=$("$FORMATION" ps --json | python3 -c 'import json, sys
print(json.load(sys.stdin)["processes"][0]["pid"])')
assert_eq "$before" "$after" "web.1's pid"
n=$("$FORMATION" releases --json | python3 -c 'import json, sys
print(len(json.load(sys.stdin)))')
assert_eq 1 "$n" "releases"
assert_eq "v1.release" "$(ls .formation/releases)" "release files"
assert_no_grep 'web.1 stopping' up.log
stop_up
assert_no_survivors

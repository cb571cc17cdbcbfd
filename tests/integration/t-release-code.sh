# In a git work tree, a release records its code: the commit and whether
# the tracked files differ from it. A committed change and an uncommitted
# one each make a release on reload and roll the processes onto it; two
# different uncommitted states are two releases; a one-off warns when the
# tree is not what the formation runs, and refuses under --strict.
. "$(dirname "$0")/lib.sh"
command -v git >/dev/null || skip "no git"

git() { command git -c user.name=t -c user.email=t@example.org "$@"; }
short() { command git rev-parse --short=7 HEAD; }

cat >Procfile <<'EOF'
web: echo "$FORMATION_CODE" >>codes; exec sleep 1000
EOF
echo one >app.txt
printf 'codes\n*.out\nup.log\nps.*\nrel.*\n' >.gitignore
git init -q . && git add Procfile app.txt .gitignore && git commit -q -m one
c1=$(git rev-parse HEAD)
s1=$(short)

start_up -t 1
wait_for '[ "$(ps_field web.1 state)" = running ]' ||
    fail "the formation did not start"
assert_eq "$c1" "$(tail -n 1 codes)" "FORMATION_CODE of v1"
assert_eq "$s1" "$(ps_json 'd["code"]')" "ps --json code"
assert_eq "$s1" "$(ps_field web.1 code)" "web.1's code"
assert_grep "^release v1 (code $s1), 1 process\$" "$(
	"$FORMATION" ps >ps.out; echo ps.out)"
"$FORMATION" oneoff true >one.out 2>&1 || fail "oneoff: $(cat one.out)"
assert_eq "" "$(cat one.out)" "a one-off on a clean tree"

# An uncommitted change is a new release, and the processes move.
pid=$(ps_field web.1 pid)
echo two >app.txt
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep '^reloaded: v2 (1 process restarting)$' reload.out
wait_for '[ "$(ps_field web.1 release)" = v2 ] &&
    [ "$(ps_field web.1 state)" = running ]' || fail "web.1 is not on v2"
[ "$(ps_field web.1 pid)" != "$pid" ] || fail "web.1 was not restarted"
assert_eq "$c1+dirty" "$(tail -n 1 codes)" "FORMATION_CODE of v2"
assert_eq "$s1+dirty" "$(ps_field web.1 code)" "web.1's code on v2"

# Another uncommitted state is another release; the same is none.
echo three >app.txt
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep '^reloaded: v3' reload.out
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v3 is current" "$(cat reload.out)" "the same state"
wait_for '[ "$(ps_field web.1 release)" = v3 ]' || fail "web.1 is not on v3"

# A one-off while the tree differs: a warning, and it runs; refused
# under --strict, and never started.
echo four >app.txt
"$FORMATION" oneoff 'echo ran >ran.out' >one.out 2>one.err ||
    fail "oneoff: $(cat one.err)"
assert_eq ran "$(cat ran.out)" "the warned one-off"
grep -q "^formation: the code changed since v3 ($s1+dirty:[0-9a-f]\{8\} -> $s1+dirty:[0-9a-f]\{8\}); the formation still runs v3's; 'formation reload' rolls it out\$" one.err ||
    fail "no warning: $(cat one.err)"
rm ran.out
"$FORMATION" run --strict web >one.out 2>one.err
assert_eq 1 $? "run --strict's status"
grep -q "^formation: the code changed since v3 .*; not run, as --strict is given\$" one.err ||
    fail "no refusal: $(cat one.err)"
"$FORMATION" oneoff --strict 'echo ran >ran.out' >one.out 2>one.err
assert_eq 1 $? "oneoff --strict's status"
[ ! -e ran.out ] || fail "the refused one-off ran"

# A commit is a new release too.
git commit -q -a -m four
c2=$(git rev-parse HEAD)
s2=$(short)
"$FORMATION" oneoff true >one.out 2>&1
assert_grep "since v3 ($s1+dirty -> $s2)" one.out
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep '^reloaded: v4 (1 process restarting)$' reload.out
wait_for '[ "$(ps_field web.1 release)" = v4 ] &&
    [ "$(ps_field web.1 state)" = running ]' || fail "web.1 is not on v4"
assert_eq "$c2" "$(tail -n 1 codes)" "FORMATION_CODE of v4"
"$FORMATION" oneoff true >one.out 2>&1 || fail "oneoff: $(cat one.out)"
assert_eq "" "$(cat one.out)" "a one-off after the reload"

# [release] strict refuses as --strict does.
printf '[release]\nstrict = true\n' >formation.ini
echo five >app.txt
"$FORMATION" reload >/dev/null 2>&1 || fail "reload failed"
echo six >app.txt
"$FORMATION" oneoff true >one.out 2>&1
assert_eq 1 $? "a one-off under [release] strict"
assert_grep "not run, as \[release\] strict is set" one.out
git checkout -q app.txt

"$FORMATION" releases --json >rel.json || fail "releases failed"
python3 - "$s1" "$s2" <<'EOF' || fail "bad codes: $(cat rel.json)"
import json, sys
s1, s2 = sys.argv[1:]
d = json.load(open("rel.json"))
assert [r["code"] for r in d] == [s1, s1 + "+dirty", s1 + "+dirty", s2,
    s2 + "+dirty"], [r["code"] for r in d]
EOF
"$FORMATION" releases >rel.txt || fail "releases failed"
assert_grep "^v4  .*  $s2  *web" rel.txt
assert_grep "^v2  .*  $s1+dirty  *web" rel.txt

# code = none: no git, no code.
printf '[release]\ncode = none\n' >formation.ini
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep '^reloaded: v6' reload.out
wait_for '[ "$(ps_field web.1 release)" = v6 ] &&
    [ "$(ps_field web.1 state)" = running ]' || fail "web.1 is not on v6"
assert_eq "" "$(tail -n 1 codes)" "FORMATION_CODE of v6"
assert_eq None "$(ps_field web.1 code)" "web.1's code on v6"
echo seven >app.txt
"$FORMATION" oneoff true >one.out 2>&1 || fail "oneoff: $(cat one.out)"
assert_eq "" "$(cat one.out)" "a one-off with no code recorded"
stop_up
assert_no_survivors

# A one-off with no formation up runs the kept release's code, as one of
# a daemon does: in a git work tree, the release made for it records the
# commit; once the tree differs, the one-off says so and runs, and under
# --strict or [release] strict refuses with status 1, never started.
. "$(dirname "$0")/lib.sh"
command -v git >/dev/null || skip "no git"

git() { command git -c user.name=t -c user.email=t@example.org "$@"; }

echo 'web: exec sleep 1000' >Procfile
echo one >app.txt
printf '*.out\n*.err\n' >.gitignore
git init -q . && git add Procfile app.txt .gitignore && git commit -q -m one
c1=$(git rev-parse HEAD)
s1=$(git rev-parse --short=7 HEAD)

"$FORMATION" oneoff 'echo "$FORMATION_CODE"' >one.out 2>one.err
assert_eq 0 $? "status on a clean tree"
assert_eq "$c1" "$(cat one.out)" "FORMATION_CODE of the release made"
assert_eq 1 "$(wc -l <one.err | tr -d ' ')" "lines on stderr: $(cat one.err)"

echo two >app.txt
"$FORMATION" oneoff 'echo ran' >one.out 2>one.err
assert_eq 0 $? "status on a changed tree"
assert_eq ran "$(cat one.out)" "a one-off on a changed tree"
grep -q "^formation: the code changed since v1 ($s1 -> $s1+dirty[:0-9a-f]*); no formation runs it yet: the next 'formation up' makes a release of it\$" one.err ||
    fail "no warning: $(cat one.err)"
"$FORMATION" oneoff --strict 'echo ran >ran.out' >one.out 2>one.err
assert_eq 1 $? "status under --strict"
assert_grep "; not run, as --strict is given\$" one.err
[ ! -e ran.out ] || fail "--strict ran it"
printf '[release]\nstrict = true\n' >formation.ini
"$FORMATION" oneoff 'echo ran >ran.out' >one.out 2>one.err
assert_eq 1 $? "status under [release] strict"
assert_grep "; not run, as \[release\] strict is set\$" one.err
[ ! -e ran.out ] || fail "[release] strict ran it"
assert_eq 1 "$(ls .formation/releases | wc -l | tr -d ' ')" "releases kept"
assert_no_survivors

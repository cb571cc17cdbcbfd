# The look at the code before a one-off or a reload runs beside the
# daemon's loop: a git that takes its time holds that request only.
# Another client's ps is answered while git is still at work, the
# one-off starts (the reload builds) once git has said, and a caller that
# goes away meanwhile starts nothing.
. "$(dirname "$0")/lib.sh"
command -v git >/dev/null || skip "no git"
real_git=$(command -v git)

# A git that, once told to be slow, waits for the test's word (at most
# 1.5 s, under the daemon's bound of 2 s) before it answers a status.
mkdir bin
cat >bin/git <<EOF
#!/bin/sh
case " \$* " in
*" status "*)
	if [ -e "$T/slow" ]; then
		: >"$T/git-started"
		i=0
		while [ ! -e "$T/go" ] && [ \$i -lt 30 ]; do
			sleep 0.05; i=\$((i + 1))
		done
		: >"$T/git-done"
	fi ;;
esac
exec "$real_git" "\$@"
EOF
chmod +x bin/git
PATH=$T/bin:$PATH
export PATH

echo 'web: exec sleep 1000' >Procfile
printf '*.out\n*.err\nup.log\nps.*\nbin/\nslow\ngo\ngit-*\n' >.gitignore
git -c user.name=t -c user.email=t@example.org init -q . &&
    git add Procfile .gitignore &&
    git -c user.name=t -c user.email=t@example.org commit -q -m one ||
    fail "git init"
start_up
wait_for '[ "$(ps_field web.1 state)" = running ]' ||
    fail "the formation did not start"

# A one-off whose look at the code is slow; meanwhile, ps answers.
echo '# changed' >>Procfile
: >slow
"$FORMATION" oneoff 'echo ran >ran.out' >one.out 2>one.err &
one=$!
wait_for '[ -e git-started ]' || fail "the one-off did not look at the code"
"$FORMATION" ps >ps.out 2>&1 || fail "ps: $(cat ps.out)"
[ ! -e git-done ] || fail "ps was answered only once git was done"
[ ! -e ran.out ] || fail "the one-off ran before git had said"
: >go
wait "$one"
assert_eq 0 $? "the one-off's status"
assert_eq ran "$(cat ran.out)" "the one-off's output"
grep -q "^formation: the code changed since v1 " one.err ||
    fail "no warning of the changed code: $(cat one.err)"

# A caller gone while git looks: nothing starts, the daemon goes on.
rm -f go git-started git-done ran.out
"$FORMATION" oneoff 'echo ran >ran.out' >one.out 2>one.err &
one=$!
wait_for '[ -e git-started ]' || fail "the second one-off did not look"
kill -KILL "$one"
wait "$one" 2>/dev/null
: >go
wait_for '[ -e git-done ]' || fail "git did not end"
rm -f slow
"$FORMATION" oneoff true >one.out 2>&1 || fail "a later one-off: $(cat one.out)"
[ ! -e ran.out ] || fail "the one-off of a caller gone was started"
"$FORMATION" ps >ps.out 2>&1 || fail "ps: $(cat ps.out)"
assert_grep '^web\.1 ' ps.out

# A reload whose look is slow: ps answers meanwhile, a second reload is
# refused, and the first one goes on once git has said.
rm -f go git-started git-done
: >slow
"$FORMATION" reload >reload.out 2>&1 &
rl=$!
wait_for '[ -e git-started ]' || fail "the reload did not look at the code"
"$FORMATION" ps >ps.out 2>&1 || fail "ps during the reload: $(cat ps.out)"
[ ! -e git-done ] || fail "ps was answered only once the reload's git was done"
"$FORMATION" reload >reload2.out 2>&1
assert_eq 1 $? "a second reload's status"
assert_eq "formation: cannot reload: a reload is under way" \
    "$(cat reload2.out)" "a second reload"
: >go
wait "$rl"
assert_eq 0 $? "the reload's status: $(cat reload.out)"
assert_grep '^reloaded: v2 ' reload.out
wait_for '[ "$(ps_field web.1 release)" = v2 ]' || fail "web.1 is not on v2"

# With no daemon up, oneoff and run run the one-off themselves. With no
# release yet they build one from the files as up would and keep it, so
# that the next up runs that very version; after that, the current kept
# release, whatever the files say now: its environment exactly (a
# formation process's, but PS and PORT), in the app root, with the
# caller's umask, the exit status and the bytes of a pipe passed through,
# signals passed on to its process group. No Procfile: an error.
. "$TESTS_TOP/tests/integration/lib.sh"

cat >Procfile <<'EOF2'
web: env -0 | sort -z > web.env; exec sleep 1000
EOF2
cat >.env <<'EOF2'
FOO=from-env
MULTI="line one
line two"
EOF2
mkdir -p sub/dir
root=$(pwd -P)

# No release yet: v1 is made from the files, and kept.
export INHERITED=at-first
(cd sub/dir && "$FORMATION" oneoff 'echo "$FOO $FORMATION_RELEASE $PS"
	pwd -P; exit 3') >out 2>err
assert_eq 3 $? "status of the first one-off"
assert_eq "formation: no formation is up; running against v1, made now from the app's files into .formation/releases" \
    "$(cat err)" "the note of the first one-off"
assert_eq "from-env v1 run.0
$root" "$(cat out)" "what the first one-off saw"
[ -f .formation/releases/v1.release ] || fail "v1 was not kept"
assert_eq 1 "$(ls .formation/releases | wc -l | tr -d ' ')" \
    "releases kept after one one-off"
assert_grep '^reason one-off$' .formation/releases/v1.release
assert_eq "-rw-------" "$(ls -l .formation/releases/v1.release | cut -c1-10)" \
    "mode of v1.release"

# The next up runs v1 itself, not a v2 of the same content.
start_up
wait_for '[ -s web.env ]' || fail "web.1 did not write its environment"
assert_grep 'formation v1 in ' up.log
assert_eq 1 "$(ls .formation/releases | wc -l | tr -d ' ')" \
    "releases after up"
"$FORMATION" releases >rel.txt
assert_grep '^v1 .* \* ' rel.txt
stop_up
assert_eq 0 "$UP_STATUS" "status of up"

# From now on the kept release, not the files nor the caller.
echo 'FOO=changed' >.env
unset INHERITED
cd sub || fail "cd sub"
env -i PATH="$PATH" FOO=bar TERM=caller-term HOME=/nowhere \
    "$FORMATION" oneoff env -0 >"$T/raw.env" 2>"$T/err"
assert_eq 0 $? "status of env -0"
cd "$T" || fail "cd"
assert_eq "formation: no formation is up; running against v1 from .formation/releases" \
    "$(cat err)" "the note of a one-off against v1"
sort -z raw.env >oneoff.env
grep -zv '^PS=\|^PORT=' web.env >web.cmp
grep -zv '^PS=\|^PORT=' oneoff.env >oneoff.cmp
if ! cmp -s web.cmp oneoff.cmp; then
	tr '\0' '\n' <web.cmp >web.txt
	tr '\0' '\n' <oneoff.cmp >oneoff.txt
	fail "environments differ: $(diff web.txt oneoff.txt)"
fi
tr '\0' '\n' <oneoff.env >oneoff.txt
assert_grep '^PS=run\.0$' oneoff.txt
assert_grep '^FOO=from-env$' oneoff.txt
assert_grep '^INHERITED=at-first$' oneoff.txt
assert_grep '^line two$' oneoff.txt
assert_no_grep '^PORT=' oneoff.txt
assert_no_grep 'caller-term\|/nowhere\|^FOO=bar' oneoff.txt
assert_eq 1 "$(ls .formation/releases | wc -l | tr -d ' ')" \
    "releases after a one-off against v1"

# -e adds to it, over the release's value.
out=$("$FORMATION" oneoff -e FOO=given -e NEW='a b' sh -c 'echo "$FOO/$NEW"' \
    2>/dev/null)
assert_eq "given/a b" "$out" "-e with no daemon"

# The caller's umask, not a daemon's.
out=$(umask 077; "$FORMATION" oneoff umask 2>/dev/null)
assert_eq 0077 "$out" "umask of a one-off with no daemon"

# Bytes through a pipe, exactly, both ways; EOF reaches it.
head -c 300000 /dev/urandom >in.bin
"$FORMATION" oneoff cat <in.bin >out.bin 2>/dev/null
assert_eq 0 $? "status of cat"
cmp -s in.bin out.bin || fail "bytes changed through a one-off"

# Exit statuses, a signal's death, exec failures.
"$FORMATION" oneoff 'exit 42' 2>/dev/null
assert_eq 42 $? "exit 42"
"$FORMATION" oneoff 'kill -USR1 $$' 2>/dev/null
assert_eq 138 $? "killed by SIGUSR1"
"$FORMATION" oneoff no-such-command-here an-arg 2>err
assert_eq 127 $? "a command not found"
assert_grep "^formation: command not found: 'no-such-command-here'$" err
"$FORMATION" run nosuch 2>err
assert_eq 1 $? "run of an unknown type"
assert_grep "^formation: .*nosuch" err

# Signals to the CLI reach the one-off's process group: the child of
# the shell gets it too.
"$FORMATION" oneoff -T 'sh -c "trap \"echo child-term >>sig.out; exit 0\" TERM
	echo \$\$ >child.pid; while :; do sleep 0.05; done" &
	trap "echo parent-term >>sig.out; wait; exit 9" TERM
	wait' </dev/null 2>/dev/null &
cli=$!
wait_for '[ -s child.pid ]' || fail "the one-off did not start"
kill -TERM "$cli"
wait "$cli"
assert_eq 9 $? "status after SIGTERM to the CLI"
assert_grep '^child-term$' sig.out
assert_grep '^parent-term$' sig.out

# The CLI gone (SIGKILL): the one-off is hung up.
"$FORMATION" oneoff -T 'trap "echo hup >hup.out; exit 0" HUP
	echo $$ >oneoff.pid; while :; do sleep 0.05; done' </dev/null \
    2>/dev/null &
cli=$!
wait_for '[ -s oneoff.pid ]' || fail "the one-off did not start"
kill -KILL "$cli"
wait "$cli" 2>/dev/null
wait_for '[ -s hup.out ]' || fail "the one-off outlived its CLI"

# No Procfile anywhere above: nothing to run against.
noapp=$(mktemp -d "${TMPDIR:-/tmp}/formation-noapp.XXXXXX")
d=$noapp
while [ "$d" != / ] && [ ! -e "$d/Procfile" ]; do d=$(dirname "$d"); done
if [ ! -e "$d/Procfile" ]; then
	(cd "$noapp" && "$FORMATION" oneoff true) >out 2>err
	rc=$?
	assert_eq 125 $rc "oneoff with no Procfile above"
	assert_grep "no Procfile in" err
else
	echo "note: '$d/Procfile' exists: no-Procfile case not checked"
fi
rmdir "$noapp"

# A broken Procfile and no release: the build's error, and nothing kept.
mkdir broken
printf 'web exec sleep 1\n' >broken/Procfile
(cd broken && "$FORMATION" oneoff true) >out 2>err
assert_eq 78 $? "oneoff with a broken Procfile and no release"
assert_grep '^formation: Procfile: no process types defined$' err
[ ! -e broken/.formation/releases/v1.release ] ||
    fail "a release was kept from a broken Procfile"

assert_no_survivors

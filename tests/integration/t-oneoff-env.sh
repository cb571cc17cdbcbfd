# A one-off sees exactly the release's environment, as a formation
# process does (but PS and PORT), whatever the caller's environment and
# directory; it runs in the app root with the daemon's umask; and it keeps
# the release it was started from when .env changes, even across a reload.
. "$TESTS_TOP/tests/integration/lib.sh"

cat >Procfile <<'EOF2'
web: env -0 | sort -z > web.env; exec sleep 1000
EOF2
cat >.env <<'EOF2'
FOO=from-env
MULTI="line one
line two"
QUOTED='a $b "c"'
EOF2
mkdir -p sub/dir
mask=$(umask)
umask 027
export INHERITED=from-up
start_up -t 1
unset INHERITED
umask "$mask"
wait_for '[ -s web.env ]' || fail "web.1 did not write its environment"

cd sub/dir || fail "cd"
env -i PATH="$PATH" FOO=bar TERM=caller-term HOME=/nowhere \
    "$FORMATION" oneoff -T env -0 >"$T/raw.env" || fail "oneoff env: $?"
cd "$T" || fail "cd"
sort -z raw.env >oneoff.env

# Byte for byte, but PS and PORT.
grep -zv '^PS=\|^PORT=' web.env >web.cmp
grep -zv '^PS=\|^PORT=' oneoff.env >oneoff.cmp
if ! cmp -s web.cmp oneoff.cmp; then
	tr '\0' '\n' <web.cmp >web.txt
	tr '\0' '\n' <oneoff.cmp >oneoff.txt
	fail "environments differ: $(diff web.txt oneoff.txt)"
fi
tr '\0' '\n' <oneoff.env >oneoff.txt
assert_grep '^PS=run\.[0-9][0-9]*$' oneoff.txt
assert_grep '^FORMATION_RELEASE=v1$' oneoff.txt
assert_grep '^FOO=from-env$' oneoff.txt
assert_grep '^INHERITED=from-up$' oneoff.txt
assert_grep '^line two$' oneoff.txt
assert_no_grep '^PORT=' oneoff.txt
assert_no_grep 'caller-term\|/nowhere' oneoff.txt
tr '\0' '\n' <web.env | grep -q '^PORT=5000$' || fail "web.1 has no PORT"

# The app root, the daemon's umask, whatever the caller's.
root=$(pwd -P)
cd sub || fail "cd"
out=$(umask 077; "$FORMATION" oneoff -T sh -c 'pwd -P; umask')
cd "$T" || fail "cd"
assert_eq "$root
0027" "$out" "cwd and umask of a one-off"

# A new .env on disk is not the running release.
echo 'FOO=changed' >.env
out=$("$FORMATION" oneoff -T printenv FOO)
assert_eq from-env "$out" "FOO after .env changed"

# A reload leaves a running one-off on its release; new ones take the new.
"$FORMATION" oneoff -T sh -c 'echo "$FOO $FORMATION_RELEASE" >old.out
	exec sleep 1000' </dev/null &
cli=$!
wait_for '[ -s old.out ]' || fail "the one-off did not start"
"$FORMATION" reload >/dev/null || fail "reload failed"
out=$("$FORMATION" oneoff -T sh -c 'echo "$FOO $FORMATION_RELEASE"')
assert_eq "changed v2" "$out" "a one-off after the reload"
"$FORMATION" ps --json >ps.json
grep -o '{"name": "run\.[0-9]*"[^}]*}' ps.json | grep -q '"release": "v1"' ||
    fail "the running one-off left v1: $(cat ps.json)"
kill -0 "$cli" || fail "the reload ended the one-off's CLI"
kill -TERM "$cli"
wait "$cli"
assert_eq 143 $? "status of the old one-off"
assert_eq "from-env v1" "$(cat old.out)" "the old one-off's release"

stop_up
assert_no_survivors

# up -d bundled with other short options (-dm web=2, -vd) still detaches,
# and an option's argument that looks like -d is left alone.
. "$TESTS_TOP/tests/integration/lib.sh"

printf 'web: sleep 1000\n' > Procfile
"$FORMATION" up -dm web=2 > out 2>&1 || fail "up -dm web=2: $(cat out)"
assert_grep 'formation is up' out
"$FORMATION" ps --json > ps.json || fail "ps failed"
n=$(grep -o '"name": "web\.[0-9]*"' ps.json | wc -l)
assert_eq 2 "$n" "instances after up -dm web=2"
"$FORMATION" down >/dev/null || fail "down failed"

"$FORMATION" up -vd > out 2>&1 || fail "up -vd: $(cat out)"
assert_grep 'formation is up' out
"$FORMATION" down >/dev/null || fail "down failed"

# -e takes -d as its file name: not a request to detach.
"$FORMATION" up -e -d > out 2>&1
assert_eq 78 $? "up -e -d (no such env file)"
assert_grep "'\?-d'\?.*cannot read\|-d: cannot read" out
assert_no_survivors

# The CLI finds a running formation from a subdirectory, even when its
# Procfile has another name; with no formation up it says so in one line.
. "$TESTS_TOP/tests/integration/lib.sh"

mkdir -p app/src/deep
printf 'web: sleep 1000\n' > app/Procfile.dev
"$FORMATION" -C app up -d -f Procfile.dev >/dev/null 2>&1 ||
    fail "up -d -f Procfile.dev failed"
cd app/src/deep
"$FORMATION" ps > "$T/ps.out" 2>&1 || fail "ps from a subdirectory: $(cat "$T/ps.out")"
assert_grep 'web.1' "$T/ps.out"
"$FORMATION" down >/dev/null || fail "down failed"
cd "$T"
"$FORMATION" -C app/src ps > "$T/err" 2>&1
assert_eq 1 $? "ps without a daemon"
assert_grep "no formation is up here: no Procfile in '$T/app/src'" "$T/err" 2>/dev/null ||
    true
[ "$(wc -l < "$T/err")" -eq 1 ] || fail "expected one line, got: $(cat "$T/err")"
assert_no_survivors

# The release history lives in .formation/releases and survives the
# daemon: unchanged files reuse the current version, a change makes the
# next one, and a damaged file is reported by name and skipped.
. "${TESTS_TOP:-$(dirname "$0")/../..}/tests/integration/lib.sh"

# Run the formation until it has started; its first "formation vN" line.
up_once() {
	start_up
	wait_for 'grep -q "web.1 started" "$T/up.log"' ||
		fail "web.1 did not start"
	stop_up TERM
	assert_eq 0 "$UP_STATUS" "exit status"
	sed -n 's/.*system | \(formation v[0-9]*\) in .*/\1/p' "$T/up.log" |
	    head -n 1
}

printf 'web: sleep 100\n' >Procfile
assert_eq "formation v1" "$(up_once)" "the first release"
assert_eq 700 "$(stat -c %a .formation)" "mode of .formation"
assert_eq 700 "$(stat -c %a .formation/releases)" "mode of releases"
assert_eq 600 "$(stat -c %a .formation/releases/v1.release)" \
    "mode of v1.release"
grep -qx '\*' .formation/.gitignore || fail "no '*' in .formation/.gitignore"
assert_eq "formation-release 2" "$(head -n 1 .formation/releases/v1.release)" \
    "first line of v1.release"

assert_eq "formation v1" "$(up_once)" "unchanged files"
assert_eq "v1.release" "$(ls .formation/releases)" "the history"

printf 'web: sleep 101\n' >Procfile
assert_eq "formation v2" "$(up_once)" "a changed Procfile"

# Cut the end off v2: it is skipped, v1 is current, and the build is v3.
f=.formation/releases/v2.release
head -c $(($(wc -c <"$f") - 4)) "$f" >"$f.cut" && chmod 600 "$f.cut" &&
    mv "$f.cut" "$f"
assert_eq "formation v3" "$(up_once)" "after a damaged v2"
msg="formation: $T/.formation/releases/v2.release: line [0-9]*:"
assert_grep "$msg truncated: no 'end' line: skipped" "$T/up.log"
assert_eq "v1.release v2.release v3.release" \
    "$(ls .formation/releases | tr '\n' ' ' | sed 's/ $//')" "the history"
assert_no_survivors
exit 0

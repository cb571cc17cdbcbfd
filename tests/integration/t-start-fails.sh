# A start that fails in the child before its exec (here: the app root is
# gone, so chdir fails) is reported as a failed start, not as an exit: a
# type that restarts backs off, one that does not is "failed". Formation
# processes do not wait for their exec, so the report arrives after the
# fork; it must still win over the exit status.
. "${TESTS_TOP:-$(dirname "$0")/../..}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

mkdir app
cd app || fail "no app directory"
printf 'web: exec sleep 1000\nonce: exec sleep 1000\n' >Procfile
printf '[process.once]\nrestart = never\n' >formation.ini
FORMATION_SOCKET=$T/sock
export FORMATION_SOCKET
start_up -t 1
wait_for '[ "$(ps_field web.1 state)" = running ] &&
    [ "$(ps_field once.1 state)" = running ]' || fail "did not start"

cd "$T" || fail "cannot leave the app"
rm -rf "$T/app"
"$FORMATION" restart >/dev/null || fail "restart failed"
why="cannot change to '$T/app': No such file or directory"
wait_for 'grep -q "once.1 failed to start: $why" "$T/up.log" &&
    [ "$(ps_field once.1 state)" = failed ]' ||
	fail "once.1 did not fail to start"
assert_eq 125 "$(ps_field once.1 last_exit)" "once.1 last exit"
wait_for 'grep -q "web.1 failed to start: $why" "$T/up.log" &&
    [ "$(ps_field web.1 state)" = backoff ]' ||
	fail "web.1 did not back off"
assert_no_grep 'exited with status 125' "$T/up.log"
assert_no_grep 'will not be restarted' "$T/up.log"

stop_up
assert_eq 0 "$UP_STATUS" "exit status"
assert_no_survivors
exit 0

# A process that does not take its held sockets still works: under the
# default check of a type with listen (accept, not asked for), one that
# accepts nothing within ready_timeout is ready all the same, and the
# log says so and how to skip the wait; a reload onto such a release
# goes through. ready = started skips the wait.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "no python3"
APP="$TESTS_TOP/tests/integration/acceptapp.py"
base=$(free_port)
line="web.1 ready (accept web not seen within 2s: taken as ready, its sockets unused; ready = started skips the wait)"

printf 'web: python3 %s\n' "$APP" >Procfile
printf '[process.web]\nlisten = tcp:127.0.0.1:$PORT\nready_timeout = 2\n' \
    >formation.ini
printf 'IGNORE=1\nGEN=1\n' >.env
t0=$(now)
start_up -p "$base"
wait_for '[ "$(ps_field web.1 state)" = running ]' 20 ||
    fail "web.1 did not run: $(cat "$T/up.log")"
ge "$(elapsed "$t0")" 2 || fail "web.1 ran before its ready_timeout"
wait_for 'grep -qF "$line" "$T/up.log"' 10 ||
    fail "no word of the wait: $(cat "$T/up.log")"
pid=$(ps_field web.1 pid)
assert_eq 1 "$(env_of "$pid" LISTEN_FDS)" "web.1's LISTEN_FDS"
[ -n "$(sock_inode "$pid" 3)" ] || fail "web.1 has no socket at fd 3"

printf 'IGNORE=1\nGEN=2\n' >.env
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep "^reloaded: v2 " reload.out
[ "$(ps_field web.1 pid)" != "$pid" ] || fail "web.1 was not replaced"
wait_for '[ "$(grep -cF "$line" "$T/up.log")" -eq 2 ]' 10 ||
    fail "the new web.1 was not taken as ready: $(cat "$T/up.log")"

# ready = started: at once, and no word of a wait.
printf 'ready = started\n' >>formation.ini
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep "^reloaded: v3 " reload.out
assert_eq 2 "$(grep -cF "$line" "$T/up.log")" "waits after ready = started"
assert_eq running "$(ps_field web.1 state)" "web.1 with ready = started"
# The default is recorded as no key, as before there was accept; the
# started given beside listen is recorded.
"$FORMATION" releases diff v2 v3 >diff.out 2>&1 || fail "diff: $(cat diff.out)"
assert_grep '^setting web ready: added: "started"$' diff.out
"$FORMATION" releases show v2 >show.out 2>&1 || fail "show: $(cat show.out)"
assert_no_grep '^setting web ready:' show.out
stop_up
assert_eq 0 "$UP_STATUS" "up's status"
assert_no_survivors

#!/bin/sh
# A ready check on a held socket: ready = tcp or http:/PATH would connect
# to each instance's PORT, which for web.1 is the socket formationd holds
# (its queue accepts at once, whoever serves) and for web.2 nothing, so
# check, up and reload refuse it at its line and say what to use. With
# ready = notify each instance is ready when it says so: a 1 s start-up
# is seen as one, web.2 included.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "no python3"
APP="$TESTS_TOP/tests/integration/listenapp.py"
base=$(free_port)
# refused PORT: nothing listens there.
refused() {
	python3 -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2).close()
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$1"
}

printf 'web: python3 %s 1\n' "$APP" >Procfile
printf '[scale]\nweb = 2\n[process.web]\nlisten = tcp:127.0.0.1:$PORT\nready = tcp\n' \
    >formation.ini
why="formation.ini:5: ready = tcp cannot tell when a process of web is ready: listen holds tcp:127.0.0.1:\$PORT, which takes connections into its queue for any instance or none, and the PORT of the other instances has nothing on it; use ready = accept (the default with listen), notify, delay:SECONDS, or tcp:HOST:PORT of a port the process binds itself"

"$FORMATION" check >check.out 2>&1
assert_eq 78 "$?" "check's status with ready = tcp on a held socket"
assert_grep "^formation: $why\$" check.out

"$FORMATION" up -p "$base" >up.out 2>&1
[ "$?" -ne 0 ] || fail "up started with ready = tcp on a held socket"
assert_grep "$why" up.out
refused "$base" || fail "a refused up left $base open"

# ready = notify: each instance is ready when it serves, 1 s after its
# spawn, not at once, and web.2 too.
sed -i 's/^ready = tcp$/ready = notify/' formation.ini
"$FORMATION" check >check.out 2>&1 || fail "check: $(cat check.out)"
start_up -p "$base"
wait_for '[ "$(ps_field web.2 state)" = running ] &&
    [ "$(ps_field web.1 state)" = running ]' 30 ||
    fail "web did not get ready: $(cat "$T/up.log")"
for n in 1 2; do
	s=$(sed -n "s/.*web\.$n ready (notify, \([0-9.]*\) s).*/\1/p" "$T/up.log" |
	    head -n 1)
	[ -n "$s" ] || fail "no 'web.$n ready' in the log: $(cat "$T/up.log")"
	ge "$s" 1 || fail "web.$n was ready after $s s, before its start-up"
done

# A reload onto ready = http:/ is refused, and the running release stays.
sed -i 's|^ready = notify$|ready = http:/|' formation.ini
"$FORMATION" reload >reload.out 2>&1
assert_eq 78 "$?" "reload onto ready = http:/ on a held socket"
assert_grep "formation.ini:5: ready = http:/ cannot tell when a process of web is ready" \
    reload.out
assert_eq v1 "$(ps_json "d['release']")" "the release after a refused reload"
assert_eq running "$(ps_field web.2 state)" "web.2 after a refused reload"

stop_up
assert_eq 0 "$UP_STATUS" "up's status"
assert_no_survivors

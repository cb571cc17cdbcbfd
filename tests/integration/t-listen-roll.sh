# Zero downtime on a held socket: an HTTP server that takes fd 3 and
# needs 1 s to start, as web=2 with listen = tcp:$PORT, serves a client
# that sends requests all along while the formation is reloaded onto a
# new release 5 times and web is restarted 5 times: not one request
# fails and no connection is reset, because the socket, and the kernel
# queue behind it, stays open in formationd the whole time.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "no python3"
APP="$TESTS_TOP/tests/integration/listenapp.py"
CLIENT="$TESTS_TOP/tests/integration/listenclient.py"
base=$(free_port)

printf 'web: python3 %s 1\n' "$APP" >Procfile
# No ready: a type with listen is checked by accept, so the roll stops an
# old instance only once the new one has taken a connection itself.
printf '[scale]\nweb = 2\n[process.web]\nlisten = tcp:127.0.0.1:$PORT\n' \
    >formation.ini
echo GEN=0 >.env
start_up -p "$base"
wait_for '[ "$(ps_field web.2 state)" = running ] &&
    python3 -c "import urllib.request, sys
urllib.request.urlopen(\"http://127.0.0.1:$base/\", timeout=5)" 2>/dev/null' \
    20 || fail "web did not start"

# At most 120 s; it ends when told to.
python3 "$CLIENT" "$base" 120 "$T/stop" >client.out 2>client.err &
client=$!

# moved OLD1 OLD2: both instances run, with pids that are neither.
moved() {
	p1=$(ps_field web.1 pid)
	p2=$(ps_field web.2 pid)
	[ "$(ps_field web.1 state)" = running ] &&
	    [ "$(ps_field web.2 state)" = running ] &&
	    [ "$p1" != None ] && [ "$p2" != None ] &&
	    [ "$p1" != "$1" ] && [ "$p1" != "$2" ] &&
	    [ "$p2" != "$1" ] && [ "$p2" != "$2" ]
}

i=1
while [ $i -le 5 ]; do
	o1=$(ps_field web.1 pid)
	o2=$(ps_field web.2 pid)
	echo "GEN=$i" >.env
	"$FORMATION" reload >reload.out 2>&1 || fail "reload $i: $(cat reload.out)"
	assert_grep "^reloaded: v$((i + 1)) " reload.out
	wait_for 'moved "$o1" "$o2" && [ "$(ps_field web.1 release)" = v$((i + 1)) ] &&
	    [ "$(ps_field web.2 release)" = v$((i + 1)) ]' 30 ||
	    fail "reload $i did not move both instances"
	i=$((i + 1))
done
i=1
while [ $i -le 5 ]; do
	o1=$(ps_field web.1 pid)
	o2=$(ps_field web.2 pid)
	"$FORMATION" restart web >restart.out 2>&1 ||
	    fail "restart $i: $(cat restart.out)"
	wait_for 'moved "$o1" "$o2"' 30 || fail "restart $i did not restart both"
	i=$((i + 1))
done
# The last instances serve before the client stops.
wait_for 'python3 -c "import urllib.request
urllib.request.urlopen(\"http://127.0.0.1:$base/\", timeout=5)" 2>/dev/null' 20 ||
    fail "web does not answer after the restarts"
touch "$T/stop"
wait_for '! kill -0 $client 2>/dev/null' 30 || fail "the client did not stop"
wait "$client"
cat client.out
read -r _ n _ failed _ resets _ served <client.out ||
    fail "no summary from the client: $(cat client.err)"
[ "$n" -gt 100 ] || fail "only $n requests were sent"
assert_eq 0 "$failed" "failed requests ($(cat client.err))"
assert_eq 0 "$resets" "connection resets"
assert_eq web.1,web.2 "$served" "who answered"
stop_up
assert_eq 0 "$UP_STATUS" "up's status"
assert_no_survivors

# ready = accept, the default of a type with listen: a new instance is
# ready once a process of its own has accepted a connection the daemon
# makes to the held socket; the old instance, which shares the socket
# and takes those connections meanwhile, does not make it ready. web=1
# is reloaded onto a release whose instance waits 2 s before it
# accepts: the new one is ready only after that, the old one, the only
# one accepting until then, took the daemon's connections and is
# stopped only once the new one is ready. On a TCP socket and on a
# unix one.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "no python3"
APP="$TESTS_TOP/tests/integration/acceptapp.py"
base=$(free_port)

# ready_times: the seconds of each "web.1 ready (accept web, S s)".
ready_times() {
	sed -n 's/.* web\.1 ready (accept web, \([0-9.]*\) s)$/\1/p' "$T/up.log"
}

# roll LISTEN
roll() {
	printf 'web: python3 %s\n' "$APP" >Procfile
	printf '[process.web]\nlisten = %s\n' "$1" >formation.ini
	echo DELAY=0 >.env
	start_up -p "$base"
	wait_for '[ "$(ps_field web.1 state)" = running ] &&
	    [ -n "$(ready_times)" ]' 20 ||
	    fail "web.1 was not ready on $1: $(cat "$T/up.log")"
	old=$(ps_field web.1 pid)
	assert_grep "pid $old accepting" "$T/up.log"

	echo DELAY=2 >.env
	"$FORMATION" reload >reload.out 2>&1 ||
	    fail "reload on $1: $(cat reload.out)"
	new=$(ps_field web.1 pid)
	[ "$new" != "$old" ] && [ "$new" != None ] ||
	    fail "web.1 was not replaced on $1: pid $new"
	wait_for '[ "$(ready_times | wc -l)" -eq 2 ] &&
	    grep -q "web\.1 stopping (SIGTERM, replaced by pid $new)" \
	    "$T/up.log"' 10 || fail "no second ready and stop on $1: \
$(cat "$T/up.log")"
	s=$(ready_times | tail -n 1)
	ge "$s" 2 || fail "the new web.1 was ready after $s s on $1, before \
it accepted"
	# What made the roll wait: the old instance took the daemon's
	# connections, and they did not count for the new one.
	assert_grep "pid $old took an empty connection" "$T/up.log"
	assert_grep "pid $new accepting" "$T/up.log"
	stop_up
	assert_eq 0 "$UP_STATUS" "up's status on $1"
	assert_no_survivors
}

roll 'tcp:127.0.0.1:$PORT'
roll 'unix:web.sock'
[ ! -e web.sock ] || fail "web.sock is left after the formation is down"

#!/bin/sh
# Held sockets: an HTTP server that needs 1 s to start
# (tests/integration/listenapp.py) as web=2, while a client sends
# requests all along (tests/integration/listenclient.py, two
# connections at a time, loopback) and the formation is reloaded 5 times
# and web restarted 5 times:
#
#   formation          listen = tcp:127.0.0.1:$PORT and the defaults: its
#                      ready check is accept
#   formation-bind     no listen: each instance binds its own PORT,
#                      ready = notify (the default, started, would not
#                      wait for it to serve); the client asks web.1's
#   foreman            foreman start -m web=2, stopped (SIGINT) and
#                      started 10 times: it has no reload or restart
#
# Recorded: requests sent, failed, resets, the seconds from each reload
# or restart until both instances run again (new pids), and, for
# formation, how long each new instance took to be ready (the daemon's
# "web.N ready (accept web, S s)"), against the goal: 0 failed, each ready
# within 2x the start-up. Bounded: 30 s for each move, the client 300 s.
#
# usage: sh bench/listen.sh [CYCLES]   (5 reloads and 5 restarts)

. "$(dirname "$0")/lib.sh"

LI_CYCLES=${1:-5}
[ "$BENCH_QUICK" = 1 ] && LI_CYCLES=1
LI_APP=$BENCH_TOP/tests/integration/listenapp.py
LI_CLIENT=$BENCH_TOP/tests/integration/listenclient.py
LI_DELAY=1

li_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# li_get PORT: one GET answered 200.
li_get() {
	python3 -c 'import sys, urllib.request
urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=2)' \
	    "$1" 2>/dev/null
}

# li_pids DIR: "STATE1 PID1 STATE2 PID2" of web.1 and web.2.
li_pids() {
	(cd "$1" && "$FORMATION" ps --json 2>/dev/null) | python3 -c '
import json, sys
try:
    p = {x["name"]: x for x in json.load(sys.stdin)["processes"]}
except Exception:
    p = {}
print(" ".join("%s %s" % (p.get(n, {}).get("state"), p.get(n, {}).get("pid"))
               for n in ("web.1", "web.2")))'
}

# li_wait SECONDS COMMAND...: poll COMMAND every 0.05 s until it succeeds.
li_wait() {
	_lw_n=$(($1 * 20))
	shift
	while ! "$@"; do
		_lw_n=$((_lw_n - 1))
		[ $_lw_n -gt 0 ] || return 1
		sleep 0.05
	done
}

# li_moved DIR OLD: both instances run, neither pid among OLD.
li_moved() {
	set -- $(li_pids "$1") "$2"
	[ "$1" = running ] && [ "$3" = running ] || return 1
	case " $5 " in *" $2 "*|*" $4 "*) return 1 ;; esac
	return 0
}

li_client_start() {	# dir port
	rm -f "$1/stop"
	python3 "$LI_CLIENT" "$2" 300 "$1/stop" >"$1/client.out" \
	    2>"$1/client.err" &
	LI_CLIENT_PID=$!
}

li_client_stop() {	# dir tool
	touch "$1/stop"
	wait "$LI_CLIENT_PID"
	read -r _ li_n _ li_failed _ li_resets _ <"$1/client.out" || {
		failure "listen: $2: no summary from the client"
		return 1
	}
	record listen "$2" requests "$li_n"
	record listen "$2" failed "$li_failed"
	record listen "$2" resets "$li_resets"
	say "  $2: $li_n requests, $li_failed failed, $li_resets resets" \
	    "$(head -n 2 "$1/client.err" | tr '\n' ' ')"
}

# li_formation TOOL LISTEN READY: the formation scenario, with listen
# and the default ready check, or without it and with ready = READY.
li_formation() {
	_d=$(scratch listen)
	_port=$(li_port)
	printf 'web: python3 %s %s\n' "$LI_APP" "$LI_DELAY" >"$_d/Procfile"
	{
		printf '[scale]\nweb = 2\n[process.web]\n'
		[ -z "$2" ] || printf 'listen = %s\n' "$2"
		[ -z "$3" ] || printf 'ready = %s\n' "$3"
	} >"$_d/formation.ini"
	echo GEN=0 >"$_d/.env"
	note listen "cd APP && $FORMATION up -p PORT  # Procfile: web: python3 listenapp.py 1; formation.ini: web = 2${2:+, listen = $2}${3:+, ready = $3}"
	note listen "cd APP && $FORMATION reload  # after a change to .env; then: $FORMATION restart web"
	(cd "$_d" && exec "$FORMATION" up -p "$_port" >"$_d/up.log" 2>&1) &
	_up=$!
	if ! li_wait 30 li_moved "$_d" "" || ! li_wait 10 li_get "$_port"; then
		failure "listen: $1: web did not start"
		(cd "$_d" && "$FORMATION" down >/dev/null 2>&1)
		wait "$_up"
		return
	fi
	li_client_start "$_d" "$_port"
	_i=1
	while [ $_i -le $((LI_CYCLES * 2)) ]; do
		set -- "$1" "$2" "$3" $(li_pids "$_d")
		_old="$5 $7"
		_t0=$(now_ns)
		if [ $_i -le "$LI_CYCLES" ]; then
			_what=reload
			echo "GEN=$_i" >"$_d/.env"
			(cd "$_d" && "$FORMATION" reload >/dev/null 2>&1)
		else
			_what=restart
			(cd "$_d" && "$FORMATION" restart web >/dev/null 2>&1)
		fi
		if li_wait 30 li_moved "$_d" "$_old"; then
			record listen "$1" "${_what}_s" \
			    "$(elapsed "$_t0" "$(now_ns)")"
		else
			failure "listen: $1: $_what $_i did not move both instances"
		fi
		_i=$((_i + 1))
	done
	li_client_stop "$_d" "$1"
	# Each instance's start-up, as the daemon measured it: the first
	# two are up's.
	sed -n 's/.* web\.[12] ready ([a-z]* *[a-z]*, \([0-9.]*\) s).*/\1/p' \
	    "$_d/up.log" | tail -n +3 | while read -r _s; do
		record listen "$1" ready_s "$_s"
	done
	(cd "$_d" && "$FORMATION" down >/dev/null 2>&1)
	wait "$_up"
	rm -rf "$_d"
}

# foreman: no reload, no restart of a type; stop and start it all.
li_foreman() {
	_d=$(scratch listen)
	_port=$(li_port)
	printf 'web: python3 %s %s\n' "$LI_APP" "$LI_DELAY" >"$_d/Procfile"
	note listen "cd APP && foreman start -m web=2 -p PORT  # then: kill -INT PID; foreman start ... again"
	li_fm_start() {
		(cd "$_d" && exec foreman start -m web=2 -p "$_port" \
		    >>"$_d/foreman.log" 2>&1) &
		_fm=$!
	}
	li_fm_start
	if ! li_wait 30 li_get "$_port"; then
		failure "listen: foreman: web did not start"
		kill -INT "$_fm" 2>/dev/null
		wait "$_fm"
		return
	fi
	li_client_start "$_d" "$_port"
	_i=1
	while [ $_i -le $((LI_CYCLES * 2)) ]; do
		_t0=$(now_ns)
		kill -INT "$_fm"
		wait "$_fm"
		li_fm_start
		if li_wait 30 li_get "$_port"; then
			record listen foreman restart_s \
			    "$(elapsed "$_t0" "$(now_ns)")"
		else
			failure "listen: foreman: start $_i did not serve"
		fi
		_i=$((_i + 1))
	done
	li_client_stop "$_d" foreman
	kill -INT "$_fm" 2>/dev/null
	wait "$_fm"
	rm -rf "$_d"
}

say "listen: web=2 with a ${LI_DELAY} s start-up, $LI_CYCLES reloads and" \
    "$LI_CYCLES restarts under a client"
li_formation formation 'tcp:127.0.0.1:$PORT' ''
li_formation formation-bind '' notify
if have foreman; then
	li_foreman
else
	record listen foreman unavailable 1
fi

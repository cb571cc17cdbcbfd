#!/bin/sh
# Rollout: web=2 (then web=1) of a small HTTP server that takes 1 s to boot (it
# listens at once and answers 503 until then), a client issuing requests
# in a loop while the app moves onto a new release, as a proxy would: on
# the type's ports (PORT to PORT+2) in turn, a request failed only when
# none answered it. Per manager: the failed requests and how long the
# move took.
#
#   formation          reload, ready = http:/: the default roll with a
#                      check, each new instance beside the old one on a
#                      port of its own, the old one stopped once the new
#                      one is ready
#   formation-inplace  reload, ready = http:/, overlap = false: each
#                      instance stopped, then started in its place, the
#                      next once it is ready
#   formation-started  reload, no ready check (ready once spawned)
#   foreman            stopped and started again: all it can do
#
# usage: rollout.sh [ROUNDS]  (default 3)

. "$(dirname "$0")/lib.sh"
# The daemon refuses files others may write.
umask 022

RO_ROUNDS=${1:-3}
[ "$BENCH_QUICK" = 1 ] && RO_ROUNDS=1
RO_SRV=$BENCH_TOP/tests/integration/readysrv.py

ro_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ro_client DIR PORT: start the client; ro_done DIR: stop it, and set
# RO_FAILED to its count of failed requests.
ro_client() {
	rm -f "$1/stop"
	python3 "$BENCH_TOP/bench/rollclient.py" "$1/stop" "$2" \
	    "$(($2 + 1))" "$(($2 + 2))" >"$1/client.out" &
	RO_CLIENT=$!
}
ro_done() {
	touch "$1/stop"
	wait "$RO_CLIENT"
	RO_FAILED=$(sed -n 's/^ok [0-9]* failed \([0-9]*\)$/\1/p' \
	    "$1/client.out")
}

# Do RO_COUNT of the type's ports (PORT to PORT+2) answer 200?
ro_up() {
	python3 - "$1" "$RO_COUNT" <<'PY'
import sys, urllib.request
n = 0
for p in range(int(sys.argv[1]), int(sys.argv[1]) + 3):
    try:
        urllib.request.urlopen("http://127.0.0.1:%d/" % p, timeout=1)
        n += 1
    except Exception:
        pass
sys.exit(0 if n >= int(sys.argv[2]) else 1)
PY
}

ro_wait_up() {	# port seconds
	_i=0
	while ! ro_up "$1"; do
		_i=$((_i + 1))
		[ $_i -ge $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

ro_formation() {	# tool ready [overlap]
	_d=$(scratch "rollout-$1")
	_p=$(ro_port)
	printf 'web: exec python3 %s slowhttp -\n' "$RO_SRV" >"$_d/Procfile"
	[ -n "$2" ] && printf '[process.web]\nready = %s\n' "$2" \
	    >"$_d/formation.ini"
	[ -n "$3" ] && printf 'overlap = %s\n' "$3" >>"$_d/formation.ini"
	note rollout "cd APP && $FORMATION up -d -m web=$RO_COUNT -p PORT && formation reload  # ready = ${2:-started}, overlap = ${3:-default}, a client on PORT to PORT+2"
	if ! (cd "$_d" && "$FORMATION" up -d -m web=$RO_COUNT -p "$_p" >"$_d/up.out" \
	    2>&1) || ! ro_wait_up "$_p" 20; then
		failure "rollout: $1: the app did not come up: $(cat "$_d/up.out")"
		(cd "$_d" && "$FORMATION" down >/dev/null 2>&1)
		return
	fi
	_r=1
	while [ $_r -le "$RO_ROUNDS" ]; do
		echo "ROUND=$_r" >"$_d/.env"
		ro_client "$_d" "$_p"
		sleep 0.5
		_t0=$(now_ns)
		(cd "$_d" && "$FORMATION" reload >/dev/null 2>&1) ||
		    failure "rollout: $1: reload failed"
		ro_wait_up "$_p" 20
		_t1=$(now_ns)
		sleep 0.5
		ro_done "$_d"
		_f=$RO_FAILED
		record rollout "$1" failed "$_f"
		record rollout "$1" seconds "$(elapsed "$_t0" "$_t1")"
		say "  $1: round $_r: $_f failed requests, $(elapsed "$_t0" "$_t1") s"
		_r=$((_r + 1))
	done
	(cd "$_d" && "$FORMATION" down >/dev/null 2>&1)
	rm -rf "$_d"
}

ro_foreman() {
	_d=$(scratch rollout-foreman)
	_p=$(ro_port)
	printf 'web: exec python3 %s slowhttp -\n' "$RO_SRV" >"$_d/Procfile"
	note rollout "cd APP && foreman start -m web=2 -p PORT  # then SIGINT and start again, a client on PORT to PORT+2"
	_r=1
	(cd "$_d" && exec foreman start -m web=2 -p "$_p" >/dev/null 2>&1) &
	_fm=$!
	ro_wait_up "$_p" 20 || failure "rollout: foreman: the app did not come up"
	while [ $_r -le "$RO_ROUNDS" ]; do
		ro_client "$_d" "$_p"
		sleep 0.5
		_t0=$(now_ns)
		kill -INT "$_fm"
		wait "$_fm"
		(cd "$_d" && exec foreman start -m web=2 -p "$_p" >/dev/null 2>&1) &
		_fm=$!
		ro_wait_up "$_p" 20
		_t1=$(now_ns)
		sleep 0.5
		ro_done "$_d"
		_f=$RO_FAILED
		record rollout foreman failed "$_f"
		record rollout foreman seconds "$(elapsed "$_t0" "$_t1")"
		say "  foreman: round $_r: $_f failed requests, $(elapsed "$_t0" "$_t1") s"
		_r=$((_r + 1))
	done
	kill -INT "$_fm"
	wait "$_fm"
	rm -rf "$_d"
}

say "rollout: web=2, 1 s boot, $RO_ROUNDS rounds"
RO_COUNT=2
ro_formation formation "http:/"
ro_formation formation-inplace "http:/" false
ro_formation formation-started ""
if have foreman; then
	ro_foreman
else
	record rollout foreman unavailable 1
fi
# One instance: only a new one started first keeps the type answering.
say "rollout: web=1, 1 s boot, $RO_ROUNDS rounds"
RO_COUNT=1
ro_formation formation-1 "http:/"
ro_formation formation-inplace-1 "http:/" false

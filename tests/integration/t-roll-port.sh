#!/bin/sh
# In a roll that starts the new instance first, no process is given a
# port another has or will take: not an instance scaled up while an old
# one it replaced still stops (it may still serve its port), not one
# stopped during the roll, when it starts again on the new release.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 6) || skip "no free port"

# Serves $PORT; on SIGTERM, serves on while the file "hold" exists, as an
# app that drains its connections does. A bind that fails is logged.
# "srv.py gated" binds only once the file "go" exists.
cat >srv.py <<'S'
import os, signal, socket, sys, time
port = int(os.environ["PORT"])
while sys.argv[1:] == ["gated"] and not os.path.exists("go"):
    time.sleep(0.05)
s = socket.socket()
# Not past a listener (Linux), but past what an old one left in TIME_WAIT.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", port))
except OSError as e:
    print("%s cannot bind %d: %s" % (os.environ["PS"], port, e), flush=True)
    sys.exit(3)
s.listen(16)
print("%s serves %d" % (os.environ["PS"], port), flush=True)
def term(*_):
    while os.path.exists("hold"):
        time.sleep(0.05)
    sys.exit(0)
signal.signal(signal.SIGTERM, term)
while True:
    s.accept()[0].close()
S
cat >Procfile <<'P'
web: exec python3 srv.py
P
cat >formation.ini <<'I'
[process.web]
ready = tcp
ready_timeout = 10
timeout = 20
I
start_detached -p "$base" -m web=1
log=.formation/formation.log
wait_for '[ "$(ps_field web.1 state)" = running ]' || fail "web.1 not running"

# The ports of the processes of the formation, running or stopping, one a
# line: no two the same.
ports() {
	ps_json '"\n".join(str(x["port"]) for x in d["processes"] if x["state"] in ("running", "starting", "stopping"))'
}
assert_distinct_ports() {	# what
	_dup=$(ports | sort | uniq -d)
	[ -z "$_dup" ] || fail "$1: port $_dup given twice: $("$FORMATION" ps)"
	assert_no_grep "cannot bind" "$log"
}

# web.1 moves to base+1; its old self, on base, drains (hold). A web.2
# scaled up meanwhile takes neither.
touch hold
old1=$(ps_field web.1 pid)
# The restart answers once the old web.1 is gone.
"$FORMATION" restart web >out 2>err &
rpid=$!
wait_for '[ "$(ps_field web.1 pid)" != "$old1" ] &&
    [ "$(ps_field web.1 state)" = running ]' || fail "web.1 did not roll"
alive "$old1" || fail "the old web.1 did not drain"
"$FORMATION" scale web=2 >/dev/null || fail "scale failed"
wait_for '[ "$(ps_field web.2 state)" = running ]' ||
    fail "web.2 did not run: $(cat "$log")"
alive "$old1" || fail "the old web.1 stopped before web.2 was up"
assert_distinct_ports "web.2 scaled up while the old web.1 drained"
rm hold
wait "$rpid" || fail "restart: $(cat err)"
alive "$old1" && fail "the old web.1 lives on after the restart"

# An instance stopped during a roll, before the roll reached it, starts
# again on the new release: on no port the roll gave a new instance
# meanwhile. From web.1 on base+3, web.2 on base and web.3 on base+1 (a
# roll from their own ports), base+2, web.3's own, is free: the new
# web.1 takes it.
"$FORMATION" scale web=0 >/dev/null || fail "scale to 0 failed"
wait_for '[ "$(ps_json "len(d[\"processes\"])")" = 0 ]' || fail "web stayed"
"$FORMATION" scale web=3 >/dev/null || fail "scale to 3 failed"
wait_for '[ "$(ps_field web.3 state)" = running ]' || fail "web.3 not running"
"$FORMATION" restart web >out 2>err || fail "restart: $(cat err)"
wait_for '[ "$(ps_json "len(d[\"processes\"])")" = 3 ]' || fail "an old one stayed"
assert_eq "$((base + 3)) $base $((base + 1))" \
    "$(ps_field web.1 port) $(ps_field web.2 port) $(ps_field web.3 port)" \
    "ports after a roll of three"
cat >Procfile <<'P'
web: exec python3 srv.py gated
P
"$FORMATION" reload >out 2>err &
rpid=$!
wait_for '[ "$(ps_json "len([x for x in d[\"processes\"] if x[\"name\"] == \"web.1\"])")" = 2 ]' ||
    fail "no new web.1 beside the old one"
"$FORMATION" stop web.3 >/dev/null || fail "stop web.3 failed"
wait_for '[ "$(ps_field web.3 state)" = stopped ]' || fail "web.3 did not stop"
touch go
wait "$rpid" || fail "reload: $(cat err)"
assert_distinct_ports "after the roll"
"$FORMATION" start web.3 >/dev/null || fail "start web.3 failed"
wait_for '[ "$(ps_field web.3 state)" = running ]' ||
    fail "web.3 did not start again: $(tail -n 20 "$log")"
assert_distinct_ports "web.3 started again on the new release"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

# run TYPE --listen: the one-off gets the sockets the daemon holds for
# TYPE as an instance of it does (fd 3, LISTEN_FDS, LISTEN_FDNAMES,
# LISTEN_PID its own pid, SERVER_STARTER_PORT, EINHORN_FD_*), so with web
# stopped it is the one-off that serves the app's port, a connection
# queued while nothing served included. Without --listen a one-off gets
# no fd past 2 and none of those variables, even from an env file, with
# a daemon or without. --listen for a type that holds no sockets, for
# oneoff, with --no-daemon or with no formation up is an error.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "no python3"

# srv.py: serve fd 3, each line asked answered "$PS pid"; "once": the
# same as a one-off, which checks its LISTEN_* first, says "serving" and
# its fds past 2 and ends at "bye"; "report": those fds and the
# socket-activation variables it has.
cat >srv.py <<'EOF2'
import os, socket, sys

mode = sys.argv[1] if len(sys.argv) > 1 else "serve"
names = ("LISTEN_", "SERVER_STARTER_PORT", "EINHORN_")
fds = []
for fd in range(3, 256):
    try:
        os.fstat(fd)
        fds.append(str(fd))
    except OSError:
        pass
fds = ",".join(fds) or "none"
if mode == "report":
    got = sorted(k for k in os.environ if k.startswith(names))
    print("fds=%s vars=%s" % (fds, ",".join(got) or "none"))
    sys.exit(0)
if mode == "once":
    if os.environ.get("LISTEN_PID") != str(os.getpid()):
        sys.exit("LISTEN_PID %s, pid %d" % (os.environ.get("LISTEN_PID"),
                                           os.getpid()))
    if os.environ.get("LISTEN_FDS") != "1":
        sys.exit("LISTEN_FDS %s" % os.environ.get("LISTEN_FDS"))
sock = socket.socket(fileno=3)
if mode == "once":
    print("serving fds=" + fds, flush=True)
me = "%s %d\n" % (os.environ["PS"], os.getpid())
while True:
    conn, _ = sock.accept()
    with conn:
        line = conn.makefile().readline().strip()
        if line:
            conn.sendall(me.encode())
    if mode == "once" and line == "bye":
        sys.exit(0)
EOF2
# ask PORT [LINE]: the answer to LINE (hi) on 127.0.0.1:PORT, waiting up
# to 20 s; "refused", or nothing when there is none. With a file after,
# says "connected" into it first.
ask() {
	python3 -c 'import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 20)
except ConnectionRefusedError:
    sys.exit(print("refused"))
if len(sys.argv) > 3:
    open(sys.argv[3], "w").write("connected\n")
s.sendall(sys.argv[2].encode() + b"\n")
try:
    print(s.makefile().readline().strip())
except OSError:
    pass' "$1" "${2:-hi}" ${3:+"$3"}
}
oneoffs() {	# the one-offs ps lists
	ps_json '" ".join(sorted(n for n in p if n.startswith("run.")))'
}

cat >Procfile <<'EOF2'
web: python3 srv.py
worker: sleep 1000
EOF2
printf '[process.web]\nlisten = tcp:127.0.0.1:$PORT\n' >formation.ini
# An env file cannot hand a process sockets it does not have.
printf 'LISTEN_FDS=9\nLISTEN_PID=1\nEINHORN_FDS=9\n' >.env
base=$(free_port)
start_up -t 2 -p "$base"
wait_for '[ "$(ps_field web.1 state)" = running ] &&
    [ "$(ps_field worker.1 state)" = running ] &&
    [ -n "$(ask "$base")" ]' 20 || fail "web does not serve: $(cat up.log)"
webpid=$(ps_field web.1 pid)
assert_eq "web.1 $webpid" "$(ask "$base")" "web.1 on the held socket"
inode=$(sock_inode "$webpid" 3)
[ -n "$inode" ] || fail "web.1 has no socket at fd 3: $(ls -l /proc/$webpid/fd)"

# Without --listen: nothing past stdio, no variable, even from .env.
"$FORMATION" run -T web report </dev/null >plain.out 2>&1 ||
    fail "run web: $(cat plain.out)"
assert_eq "fds=none vars=none" "$(cat plain.out)" "run web without --listen"
"$FORMATION" oneoff -T python3 srv.py report </dev/null >plain.out 2>&1 ||
    fail "oneoff: $(cat plain.out)"
assert_eq "fds=none vars=none" "$(cat plain.out)" "a oneoff's"
pid=$(ps_field worker.1 pid)
[ ! -e "/proc/$pid/fd/3" ] || fail "worker.1 has an fd 3"
assert_eq "" "$(env_of "$pid" LISTEN_FDS)$(env_of "$pid" EINHORN_FDS)" \
    "worker.1's socket variables from .env"

# Stopped, web serves nothing; a connection made now waits in the queue
# of the socket the daemon still holds.
"$FORMATION" stop web >/dev/null || fail "stop web"
wait_for '[ "$(ps_field web.1 state)" = stopped ]' 20 || fail "web.1 stays"
ask "$base" hi queued >queued.out &
client=$!
wait_for '[ -s queued ]' 20 || fail "no connection to $base: $(cat queued.out)"

# run web --listen takes the same socket at fd 3, and serves it.
"$FORMATION" run -T --listen web once </dev/null >once.out 2>once.err &
run=$!
wait_for 'grep -q serving once.out' 20 ||
    fail "the one-off does not serve: $(cat once.out once.err)"
name=$(oneoffs)
case $name in run.[0-9]*) ;; *) fail "ps lists one-offs '$name'" ;; esac
pid=$(ps_field "$name" pid)
wait_for '! kill -0 "$client" 2>/dev/null' 20 || fail "no answer to the queued"
wait "$client"
assert_eq "$name $pid" "$(cat queued.out)" "who answered the queued connection"
assert_eq "$inode" "$(sock_inode "$pid" 3)" "the one-off's fd 3"
assert_eq 1 "$(env_of "$pid" LISTEN_FDS)" "its LISTEN_FDS"
assert_eq "$pid" "$(env_of "$pid" LISTEN_PID)" "its LISTEN_PID"
assert_eq web "$(env_of "$pid" LISTEN_FDNAMES)" "its LISTEN_FDNAMES"
assert_eq "127.0.0.1:$base=3" "$(env_of "$pid" SERVER_STARTER_PORT)" \
    "its SERVER_STARTER_PORT"
assert_eq 1 "$(env_of "$pid" EINHORN_FD_COUNT)" "its EINHORN_FD_COUNT"
assert_eq 3 "$(env_of "$pid" EINHORN_FDS)" "its EINHORN_FDS"
assert_eq "$name $pid" "$(ask "$base" bye)" "the one-off, asked again"
wait "$run"
assert_eq 0 $? "status of run --listen: $(cat once.err)"
assert_eq "serving fds=3" "$(cat once.out)" "the one-off's fds"

# The socket is still the daemon's: web serves it again once started.
"$FORMATION" start web >/dev/null || fail "start web"
wait_for '[ "$(ps_field web.1 state)" = running ] &&
    [ "$(ps_field web.1 pid)" != "$webpid" ]' 20 || fail "web.1 does not start"
webpid=$(ps_field web.1 pid)
assert_eq "web.1 $webpid" "$(ask "$base")" "web.1 after the one-off"

# What is not asked right.
"$FORMATION" run -T --listen worker </dev/null >out 2>err
assert_eq 1 $? "status of --listen for a type without sockets"
assert_eq "formation: run --listen: worker holds no sockets (no listen = in [process.worker] of formation.ini)" \
    "$(cat err)" "--listen for a type without sockets"
"$FORMATION" run -T --listen nope </dev/null >out 2>err
assert_eq 1 $? "status of --listen for an unknown type"
assert_grep "^formation: unknown process type 'nope' (types: web, worker)$" err
"$FORMATION" oneoff -T --listen python3 srv.py report </dev/null >out 2>err
assert_eq 2 $? "status of oneoff --listen"
assert_grep "^formation: --listen is for run TYPE" err
assert_grep "^usage: formation oneoff " err
"$FORMATION" run -T --listen --no-daemon web report </dev/null >out 2>err
assert_eq 2 $? "status of --listen --no-daemon"
assert_grep "^formation: --listen takes the sockets the daemon holds: not with --no-daemon$" err
assert_grep "^usage: formation run " err
[ ! -s out ] || fail "something ran: $(cat out)"
assert_eq "" "$(oneoffs)" "one-offs left"

# No formation up: no one holds the sockets, and nothing runs; without
# --listen the one-off the CLI runs itself has none either.
stop_up
assert_eq 0 "$UP_STATUS" "up's status"
"$FORMATION" run -T --listen web report </dev/null >out 2>err
assert_eq 125 $? "status of --listen with no formation up"
assert_eq "formation: run --listen: no formation is up here to hold web's sockets (formation up first)" \
    "$(cat err)" "--listen with no formation up"
[ ! -s out ] || fail "something ran: $(cat out)"
"$FORMATION" run -T web report </dev/null >out 2>err ||
    fail "run web with no formation up: $(cat err)"
assert_eq "fds=none vars=none" "$(cat out)" "run web with no formation up"
assert_no_survivors

# listen = ...: formationd binds the sockets of a type once, and every
# instance of that type, and only those, gets them by socket activation:
# fds 3, 4, ... with LISTEN_FDS, LISTEN_FDNAMES and LISTEN_PID its own
# pid. A process that ignores them runs all the same. The sockets are
# the same ones across restarts; ps shows them; an address that cannot
# be bound fails up or reload, naming the setting and the error, and a
# reload that changes listen binds the new address and closes the old.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "no python3"
APP="$TESTS_TOP/tests/integration/listenapp.py"
base=$(free_port)
other=$(free_port)
[ "$other" != "$base" ] || other=$(free_port)

# get PORT: the body of http://127.0.0.1:PORT/, or nothing.
get() {
	python3 -c 'import sys, urllib.request
try:
    print(urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1],
                                 timeout=5).read().decode().strip())
except Exception:
    pass' "$1"
}
# refused PORT: nothing listens there.
refused() {
	python3 -c 'import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2).close()
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$1"
}

cat >Procfile <<EOF2
web: python3 $APP 0
worker: sleep 1000
idle: sleep 1000
EOF2
cat >formation.ini <<EOF2
[scale]
web = 2
[process.web]
listen = http=tcp:127.0.0.1:\$PORT
[process.idle]
listen = tcp:127.0.0.1:$other, unix:idle.sock
ready = started
EOF2
start_up -p "$base"
wait_for '[ "$(ps_field idle.1 state)" = running ] &&
    [ "$(ps_field worker.1 state)" = running ] &&
    [ -n "$(get "$base")" ]' 20 ||
    fail "the formation did not start and serve"

# The web instances take fd 3, and both answer on the one socket.
seen=""
wait_for 'r=$(get "$base"); seen="$seen ${r%% *}";
    case $seen in *web.1*) case $seen in *web.2*) true ;; *) false ;; esac ;;
    *) false ;; esac' 20 || fail "not both web instances answered: $seen"
pid=$(ps_field web.1 pid)
assert_eq 1 "$(env_of "$pid" LISTEN_FDS)" "web.1's LISTEN_FDS"
assert_eq http "$(env_of "$pid" LISTEN_FDNAMES)" "web.1's LISTEN_FDNAMES"
assert_eq "$pid" "$(env_of "$pid" LISTEN_PID)" "web.1's LISTEN_PID"
assert_eq "127.0.0.1:$base=3" "$(env_of "$pid" SERVER_STARTER_PORT)" \
    "web.1's SERVER_STARTER_PORT"
assert_eq 3 "$(env_of "$pid" EINHORN_FD_0)" "web.1's EINHORN_FD_0"

# idle ignores its two sockets and runs; they are fds 3 and 4, the same
# in each instance and across restarts. (ready = started: the default
# check, accept, would wait out its ready_timeout first, as
# t-listen-accept-ignore shows.)
pid=$(ps_field idle.1 pid)
assert_eq 2 "$(env_of "$pid" LISTEN_FDS)" "idle.1's LISTEN_FDS"
assert_eq idle:idle "$(env_of "$pid" LISTEN_FDNAMES)" "idle's names"
assert_eq "$pid" "$(env_of "$pid" LISTEN_PID)" "idle.1's LISTEN_PID"
i3=$(sock_inode "$pid" 3)
i4=$(sock_inode "$pid" 4)
[ -n "$i3" ] && [ -n "$i4" ] || fail "idle.1 has no sockets at 3 and 4: \
$(ls -l /proc/$pid/fd)"
[ ! -e "/proc/$pid/fd/5" ] || fail "idle.1 has an fd 5: $(ls -l /proc/$pid/fd/)"
[ -S idle.sock ] || fail "no idle.sock in the app root"
"$FORMATION" restart idle >/dev/null || fail "restart idle"
wait_for '[ "$(ps_field idle.1 pid)" != "$pid" ] &&
    [ "$(ps_field idle.1 state)" = running ]' || fail "idle did not restart"
pid=$(ps_field idle.1 pid)
assert_eq "$i3" "$(sock_inode "$pid" 3)" "idle.1's fd 3 after a restart"
assert_eq "$i4" "$(sock_inode "$pid" 4)" "idle.1's fd 4 after a restart"

# Other types and one-offs get none of them.
pid=$(ps_field worker.1 pid)
[ ! -e "/proc/$pid/fd/3" ] || fail "worker.1 has an fd 3"
assert_eq "" "$(env_of "$pid" LISTEN_FDS)" "worker.1's LISTEN_FDS"
"$FORMATION" oneoff -T 'echo "fds=${LISTEN_FDS:-none}"; ls /proc/$$/fd' \
    >oneoff.out 2>&1 || fail "oneoff: $(cat oneoff.out)"
assert_eq "fds=none 0 1 2" "$(tr '\n' ' ' <oneoff.out | sed 's/ $//')" \
    "a one-off's sockets"

# ps and ps --json show them.
"$FORMATION" ps >ps.out || fail "ps"
assert_grep "^listen web: tcp:127.0.0.1:$base (fd 3, http)\$" ps.out
assert_grep "^listen idle: tcp:127.0.0.1:$other (fd 3, idle)\$" ps.out
assert_grep "^listen idle: unix:$T/idle.sock (fd 4, idle)\$" ps.out
assert_eq "[('web', 'http', 'tcp:127.0.0.1:$base', 3), \
('idle', 'idle', 'tcp:127.0.0.1:$other', 3), \
('idle', 'idle', 'unix:$T/idle.sock', 4)]" \
    "$(ps_json "[(s['type'], s['name'], s['address'], s['fd']) for s in d['sockets']]")" \
    "ps --json sockets"

# An address that is taken fails the reload, which changes nothing. The
# port is one free now, not one near base: another test may hold those.
taken=$(free_port)
while [ "$taken" = "$base" ] || [ "$taken" = "$other" ]; do
	taken=$(free_port)
done
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
open("taken", "w").close()
time.sleep(60)' "$taken" &
holder=$!
wait_for '[ -e taken ]' || fail "no one took the port"
sed -i "s/^listen = tcp:127.0.0.1:$other, /listen = tcp:127.0.0.1:$taken, /" \
    formation.ini
"$FORMATION" reload >reload.out 2>&1
assert_eq 1 "$?" "reload onto a taken address"
assert_grep "^formation: reload failed: \[process.idle\] listen = tcp:127.0.0.1:$taken, unix:idle.sock: cannot bind tcp:127.0.0.1:$taken: Address already in use; v1 is still running\$" \
    reload.out
kill "$holder"
wait "$holder" 2>/dev/null
assert_eq v1 "$(ps_json "d['release']")" "the release after a failed reload"
[ -n "$(get "$base")" ] || fail "web does not answer after a failed reload"

# A reload that moves idle to a new port: the new one is bound before,
# the old one closed after the roll; the unix socket is kept.
new=$(free_port)
sed -i "s/^listen = tcp:127.0.0.1:[0-9]*, /listen = tcp:127.0.0.1:$new, /" \
    formation.ini
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
wait_for '[ "$(ps_field idle.1 release)" = v2 ] &&
    [ "$(ps_field idle.1 state)" = running ] && refused "$other"' 20 ||
    fail "idle did not move to $new, or $other is still open"
pid=$(ps_field idle.1 pid)
assert_eq "$i4" "$(sock_inode "$pid" 4)" "the unix socket after the reload"
refused "$new" && fail "nothing listens on $new"
"$FORMATION" ps >ps.out || fail "ps"
assert_grep "^listen idle: tcp:127.0.0.1:$new (fd 3, idle)\$" ps.out

# A second app cannot have the same address: its up fails, saying why.
mkdir other && cd other || fail "mkdir"
printf 'web: sleep 1000\n' >Procfile
printf '[process.web]\nlisten = tcp:127.0.0.1:$PORT\n' >formation.ini
"$FORMATION" up -p "$base" >up2.out 2>&1
st=$?
[ "$st" -ne 0 ] || fail "a second up on a taken address succeeded"
assert_grep "\[process.web\] listen = tcp:127.0.0.1:\$PORT: cannot bind tcp:127.0.0.1:$base: Address already in use" \
    up2.out
cd "$T" || fail "cd"

stop_up
assert_eq 0 "$UP_STATUS" "up's status"
[ ! -e idle.sock ] || fail "idle.sock is left after down"
refused "$base" || fail "$base is still open after down"
assert_no_survivors

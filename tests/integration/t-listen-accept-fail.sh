# ready = accept given in formation.ini is a check like the others: a
# process that accepts nothing within ready_timeout is not ready, and a
# reload onto it fails and leaves the old instance serving, the release
# before current again; at up it is a failed start. Without listen there is nothing to accept on:
# check refuses it at its line.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip "no python3"
APP="$TESTS_TOP/tests/integration/acceptapp.py"
base=$(free_port)

printf 'web: python3 %s\nworker: sleep 1000\n' "$APP" >Procfile
printf '[process.worker]\nready = accept\n' >formation.ini
"$FORMATION" check >check.out 2>&1
assert_eq 78 "$?" "check's status with ready = accept and no listen"
assert_grep "^formation: formation.ini:2: ready = accept in \[process.worker\] needs listen: it waits for a process of worker to accept a connection on a socket the daemon holds, and worker has none\$" \
    check.out

printf '[formation]\nrestart = never\n[process.web]\nlisten = tcp:127.0.0.1:$PORT\nready = accept\nready_timeout = 2\n' \
    >formation.ini
echo DELAY=0 >.env
"$FORMATION" check >check.out 2>&1 || fail "check: $(cat check.out)"
start_up -p "$base" -m web=1,worker=0
wait_for '[ "$(ps_field web.1 state)" = running ]' 20 ||
    fail "web.1 was not ready: $(cat "$T/up.log")"
old=$(ps_field web.1 pid)

# The new instance never takes a connection: the roll fails after 2 s.
printf 'DELAY=0\nIGNORE=1\n' >.env
"$FORMATION" reload >out 2>err
assert_eq 1 "$?" "reload's status onto a process that never accepts"
assert_grep "^formation: reload failed: web\.1 was not ready: not ready within 2s (accept web)\$" \
    err
assert_grep "^formation: v2 is marked failed; v1 is current" err
assert_eq "$old" "$(ps_field web.1 pid)" "web.1 after the failed roll"
assert_eq running "$(ps_field web.1 state)" "web.1's state after the roll"
wait_for '[ "$(ps_json "len(d[\"processes\"])")" = 1 ]' ||
    fail "the new web.1 stayed: $("$FORMATION" ps)"
assert_no_grep "web\.1 ready (accept web not seen" "$T/up.log"
# The old one still serves, on the socket that stayed open.
answer=$(python3 -c 'import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
c.settimeout(5)
c.sendall(b"hello\n")
print(c.recv(64).decode().strip())' "$base")
assert_eq "$old" "$answer" "who answers after the failed roll"

stop_up
assert_eq 0 "$UP_STATUS" "up's status"
assert_no_survivors

# At up too: not ready in time is a failed start, and restart = never
# leaves it failed.
start_up -p "$base" -m web=1,worker=0
wait_for '[ "$(ps_field web.1 state)" = failed ]' 20 ||
    fail "web.1 did not fail: $(cat "$T/up.log")"
assert_grep "web\.1 failed to start: not ready within 2s (accept web)\$" \
    "$T/up.log"
stop_up
assert_no_survivors

#!/bin/sh
# logs gives the lines of different processes in the order they came,
# not only to the second: two processes that take turns within the same
# second come out taking turns.
. "$(dirname "$0")/lib.sh"

mkfifo to-pong to-ping
cat >Procfile <<'P'
ping: for i in 1 2 3 4; do echo "ping $i"; sleep 0.1; echo go >to-pong; read x <to-ping; done; exec sleep 600
pong: for i in 1 2 3 4; do read x <to-pong; echo "pong $i"; sleep 0.1; echo go >to-ping; done; exec sleep 600
P
start_detached -t 1
wait_for '"$FORMATION" logs -n 100 pong | grep -q "pong 4$"' ||
    fail "pong 4 never logged"
"$FORMATION" logs -n 100 ping pong >out || fail "logs exited $?"
assert_eq "ping 1
pong 1
ping 2
pong 2
ping 3
pong 3
ping 4
pong 4" "$(sed 's/^[^|]*| //' out)" "the order of the lines"
"$FORMATION" down >/dev/null || fail "down"
assert_no_survivors
exit 0

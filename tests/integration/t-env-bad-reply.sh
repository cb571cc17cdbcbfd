#!/bin/sh
# formation env refuses an env reply whose count does not fit its payload,
# before printing anything. A count of 0x55555556 entries of three strings
# is 2 strings modulo 2^32: it once passed the check with two strings
# behind it, and the printer then read strings that were not there.
. "$(dirname "$0")/lib.sh"

# A fake daemon: answer one request with that reply, then hang up. It
# says it listens by creating "ready"; it gives up after 10 s alone.
python3 - "$T/fake.sock" <<'PY' &
import socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(1)
s.settimeout(10)
open("ready", "w").close()
c, _ = s.accept()
c.settimeout(10)
c.recv(12)
payload = b"v1\0" + struct.pack("=I", 0x55555556) + b"K\0V\0"
c.sendall(struct.pack("=III", 1, 203, len(payload)) + payload)
c.close()
PY
fake=$!
wait_for "[ -e ready ]" 5 || fail "the fake daemon did not start"

# Bounded in time and output, should it print what is not there.
(ulimit -f 100; exec timeout -k 1 10 "$FORMATION" --socket "$T/fake.sock" \
    env --origin) >out 2>err
rc=$?
kill "$fake" 2>/dev/null
[ $rc -eq 125 ] || fail "exit $rc, expected 125; stderr: $(cat err)"
grep -qx "formation: protocol error: bad env reply" err ||
    fail "stderr: $(cat err)"
[ ! -s out ] || fail "printed: $(head -c 200 out)"
echo "ok"

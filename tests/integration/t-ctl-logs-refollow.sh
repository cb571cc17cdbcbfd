#!/bin/sh
# A second "logs -f" on one connection replaces what the first followed:
# one follower still, nothing leaked (the sanitizers' leak check runs at
# the daemon's exit), and the lines of the new targets only.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: while :; do echo "tick $PS"; sleep 0.05; done
worker: while :; do echo "work $PS"; sleep 0.05; done
P
start_up -t 1
sock=$T/.formation/formation.sock
wait_for '[ -S "$sock" ] && grep -q "| work worker.1" up.log' ||
    fail "the formation did not start"

python3 - "$sock" <<'PY' || fail "refollow: see above"
import socket, struct, sys, time
LOGS, LINE = 105, 300
HDR = struct.Struct("=III")

def logs(targets):
    p = struct.pack("=III", 1, 0, len(targets))
    p += b"".join(t.encode() + b"\0" for t in targets)
    return HDR.pack(1, LOGS, len(p)) + p

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.settimeout(10)
buf = b""

def names(seconds):
    # The names of the lines that come within seconds.
    global buf
    seen, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            s.settimeout(max(0.01, end - time.monotonic()))
            d = s.recv(65536)
        except socket.timeout:
            break
        assert d, "the daemon closed the connection"
        buf += d
        while len(buf) >= HDR.size:
            v, t, n = HDR.unpack_from(buf)
            if len(buf) < HDR.size + n:
                break
            body, buf = buf[HDR.size:HDR.size + n], buf[HDR.size + n:]
            assert t != 201, "error: %r" % body[4:]
            if t == LINE:
                seen.append(body[:body.index(b"\0")].decode())
    return seen

s.sendall(logs(["web"]))
first = names(1)
assert "web.1" in first and "worker.1" not in first, first
for _ in range(3):
    s.sendall(logs(["worker"]))
    names(0.3)	# what was on its way meanwhile
later = names(1)
assert "worker.1" in later and "web.1" not in later, later
print("web, then worker: %d and %d lines" % (len(first), len(later)))
PY
stop_up
assert_eq 0 "$UP_STATUS" "daemon status (not 0 after a leak report)"
assert_no_survivors
exit 0

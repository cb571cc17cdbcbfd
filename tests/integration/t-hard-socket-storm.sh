#!/bin/sh
# A storm on the control socket, next to 200 connections that say nothing:
# 1,000 connections, 50 at a time, each sending random bytes, a truncated
# frame, a huge length, 200 fds, or a read-only request with a random
# payload. Each is answered and closed, or just closed; ps keeps
# answering throughout (after each batch, and from the CLI meanwhile);
# and once it is over the daemon holds the descriptors it started with.
# (t-ctl-abuse checks each abuse's answer.) FORMATION_SEED=N replays a storm.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

printf 'web: exec sleep 600\n' >Procfile
start_detached -t 1
sock=$T/.formation/formation.sock

cat >storm.py <<'PY'
# storm.py SOCKET SEED: 200 idle connections, then 1,000 abusive ones.
# Prints a count per kind and outcome; exits 1 if the daemon left one
# open or answered something that is not an error.
import os, random, select, socket, struct, sys, time

HDR = struct.Struct("=III")
ERROR = 201
# Requests that change nothing, whatever their payload.
READ_ONLY = (100, 105, 107, 109, 112)
sock, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
devnull = [os.open("/dev/null", os.O_RDONLY) for _ in range(200)]

def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    return s

def abuse(s, kind):
    if kind == "random":
        # Then EOF: less than a header is worth waiting for, else.
        s.sendall(rng.randbytes(rng.randint(1, 4096)))
        s.shutdown(socket.SHUT_WR)
    elif kind == "truncated":
        s.sendall(HDR.pack(1, rng.choice(READ_ONLY), 100) + b"x" * 10)
        return "close"
    elif kind == "huge":
        # Far past the limit on a frame (a few MiB).
        s.sendall(HDR.pack(1, 100, rng.randint(1 << 28, 0xffffffff)))
    elif kind == "fds":
        socket.send_fds(s, [HDR.pack(1, 100, 0)], devnull)
    elif kind == "payload":
        body = rng.randbytes(rng.randint(1, 64))
        s.sendall(HDR.pack(1, rng.choice(READ_ONLY), len(body)) + body)
    return "read"

def outcome(s):
    # The daemon's answer, up to its end of the connection.
    buf, end = b"", time.time() + 10
    while time.time() < end:
        r, _, _ = select.select([s], [], [], end - time.time())
        if not r:
            return "left open"
        try:
            d = s.recv(65536)
        except ConnectionResetError:
            return "reset"
        if not d:
            break
        buf += d
    else:
        return "left open"
    if not buf:
        return "closed"
    types = set()
    while len(buf) >= HDR.size:
        v, t, n = HDR.unpack_from(buf)
        types.add(t)
        buf = buf[HDR.size + n:]
    if buf or types - {ERROR, 202, 203, 204, 300, 301}:
        return "bad reply"
    return "error" if ERROR in types else "answered"

def ps_answers():
    s = connect()
    s.sendall(HDR.pack(1, 100, 0))
    s.shutdown(socket.SHUT_WR)
    o = outcome(s)
    s.close()
    return o == "answered"

idle = [connect() for _ in range(200)]
print("idle open", flush=True)
kinds = ("random", "truncated", "huge", "fds", "payload")
counts, bad = {}, 0
for _ in range(20):
    batch = []
    for _ in range(50):
        kind = rng.choice(kinds)
        s = connect()
        batch.append((kind, s, abuse(s, kind)))
    for kind, s, what in batch:
        o = "sent" if what == "close" else outcome(s)
        s.close()
        counts[(kind, o)] = counts.get((kind, o), 0) + 1
        bad += o in ("left open", "bad reply")
    if not ps_answers():
        print("ps went unanswered")
        bad += 1
for (kind, o), n in sorted(counts.items()):
    print(kind, o, n)
print("storm over", flush=True)
sys.stdin.read()		# until the test says so
for s in idle:
    s.close()
sys.exit(1 if bad else 0)
PY

base=$(settled_fd_count "$DAEMON_PID")
mkfifo hold
seed=${FORMATION_SEED:-$(date +%s)}
python3 storm.py "$sock" "$seed" <hold >storm.out 2>&1 &
STORM=$!
exec 3>hold
wait_for 'grep -q "idle open" storm.out' 10 || fail "storm: $(cat storm.out)"
# ps, over and over, while the storm blows.
n=0
slowest=0
while ! grep -q "storm over" storm.out; do
	s=$(date +%s%N)
	"$FORMATION" ps >ps.out 2>&1 || fail "ps in the storm: $(cat ps.out)"
	ms=$(( ($(date +%s%N) - s) / 1000000 ))
	[ "$ms" -gt "$slowest" ] && slowest=$ms
	grep -q '^web\.1  *running ' ps.out || fail "ps: $(cat ps.out)"
	n=$((n + 1))
	kill -0 "$STORM" 2>/dev/null || break
done
wait_for 'grep -q "storm over" storm.out' 30 || fail "storm: $(cat storm.out)"
# The 200 idle ones are still held, and ps still answers.
[ "$(fd_count "$DAEMON_PID")" -ge $((base + 200)) ] ||
    fail "the daemon holds $(fd_count "$DAEMON_PID") fds, not $base + 200"
"$FORMATION" ps >ps.out 2>&1 || fail "ps after the storm: $(cat ps.out)"
exec 3>&-
wait "$STORM" || fail "seed $seed: $(cat storm.out)"
echo "seed $seed: $n ps during the storm, slowest ${slowest} ms;" \
    "$(grep -v -e 'idle open' -e 'storm over' storm.out | tr '\n' ',')"
alive "$DAEMON_PID" || fail "the daemon died"
wait_for '[ "$(fd_count $DAEMON_PID)" -eq "$base" ]' 10 ||
    fail "the daemon holds $(fd_count $DAEMON_PID) fds in the end, not $base"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

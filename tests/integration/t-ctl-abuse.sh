#!/bin/sh
# A raw client that breaks the protocol gets one clear error and loses its
# connection; the daemon carries on, answers ps after each abuse, and in
# the end holds no more descriptors than it started with.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

# A long command makes each ps reply a few KiB.
pad=$(printf '%4000s' '' | tr ' ' x)
printf 'web: exec sleep 600 # %s\n' "$pad" >Procfile
start_detached -t 1
sock=$T/.formation/formation.sock

cat >raw.py <<'PY'
# raw.py SOCKET CASE: talk to formationd by hand. Frames are a header of
# three host-order u32 {version, type, length}, then the payload. Prints
# each reply frame as "TYPE [CODE MESSAGE]" and "eof" when the daemon
# closes the connection.
import os, socket, struct, sys, time

PS, SCALE, ONEOFF, OK, ERROR, PS_REPLY = 100, 101, 111, 200, 201, 202
HDR = struct.Struct("=III")
sock, case = sys.argv[1], sys.argv[2]

def frame(t, payload=b"", version=1, length=None):
    n = len(payload) if length is None else length
    return HDR.pack(version, t, n) + payload

def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock)
    s.settimeout(10)
    return s

def report(s):
    buf = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        buf += d
    while len(buf) >= HDR.size:
        v, t, n = HDR.unpack_from(buf)
        assert v == 1, "reply of version %d" % v
        body, buf = buf[HDR.size:HDR.size + n], buf[HDR.size + n:]
        assert len(body) == n, "truncated reply"
        if t == ERROR:
            code, = struct.unpack_from("=I", body)
            assert body.endswith(b"\0") and body.count(b"\0", 4) == 1
            print(t, code, body[4:-1].decode())
        else:
            print(t)
    assert buf == b"", "trailing bytes %r" % buf
    print("eof")

def send_fds(s, data, n):
    pipes = [os.pipe() for _ in range(n)]
    socket.send_fds(s, [data], [w for r, w in pipes])
    for r, w in pipes:
        os.close(w)
    return [r for r, w in pipes]

def all_closed(reads):
    # The daemon closed what it was given: every pipe reads EOF.
    for r in reads:
        os.set_blocking(r, False)
        try:
            assert os.read(r, 1) == b"", "daemon kept an fd"
        except BlockingIOError:
            raise AssertionError("daemon kept an fd")

s = connect()
if case == "garbage":
    s.sendall(b"GET / HTTP/1.1\r\nHost: formation\r\n\r\n")
    report(s)
elif case == "short-garbage":
    s.sendall(b"hello")
    s.shutdown(socket.SHUT_WR)
    report(s)
elif case == "truncated":
    s.sendall(frame(SCALE, b"\x01\0\0\0web\0", length=100))
    s.close()
    print("closed")
elif case == "huge":
    s.sendall(frame(PS, length=0xfffffff0))
    report(s)
elif case == "unknown-type":
    s.sendall(frame(999))
    report(s)
elif case == "reply-as-request":
    s.sendall(frame(OK, b"\0"))
    report(s)
elif case == "version":
    s.sendall(frame(PS, version=2))
    report(s)
elif case == "version-huge":
    s.sendall(frame(PS, version=0, length=0xffffffff))
    report(s)
elif case == "bad-payload":
    s.sendall(frame(SCALE, struct.pack("=I", 5)))
    report(s)
elif case == "listen-no-type":
    # ONEOFF_LISTEN (0x20) asks for a type's sockets: not for a command.
    s.sendall(frame(150, struct.pack("=I", 0x20 | 0x4) + b"\0" +
                    struct.pack("=IIIII", 0, 0, 0, 0, 1) + b"true\0"))
    report(s)
elif case == "trailing":
    s.sendall(frame(PS, b"x"))
    report(s)
elif case == "fds":
    reads = send_fds(s, frame(PS), 1)
    report(s)
    all_closed(reads)
elif case == "many-fds":
    reads = send_fds(s, frame(PS), 5)
    report(s)
    all_closed(reads)
elif case == "pipelined":
    s.sendall(frame(PS) + frame(PS) + frame(PS))
    s.shutdown(socket.SHUT_WR)
    report(s)
elif case == "trickle":
    for b in frame(PS):
        s.sendall(bytes([b]))
        time.sleep(0.01)
    s.shutdown(socket.SHUT_WR)
    report(s)
elif case == "silent":
    n = int(sys.argv[3])
    conns = [connect() for _ in range(n)]
    print("open", flush=True)
    sys.stdin.read()		# until the test says so
    for c in conns:
        c.close()
elif case == "crowd":
    # The daemon's peers are full: one more is turned away.
    conns = [connect() for _ in range(int(sys.argv[3]))]
    report(connect())
elif case == "no-reader":
    # Ask and never read: the daemon queues, then gives up on us.
    try:
        for _ in range(20000):
            s.sendall(frame(PS) * 10)
        print("never dropped")
    except (BrokenPipeError, ConnectionResetError):
        print("dropped")
else:
    sys.exit("unknown case " + case)
PY

fds() { ls /proc/"$DAEMON_PID"/fd | wc -l; }
base=$(settled_fd_count "$DAEMON_PID")

still_answers() {	# after what
	"$FORMATION" ps >ps.out 2>ps.err || fail "ps after $1: $(cat ps.err)"
	assert_grep '^web\.1  *running ' ps.out
	alive "$DAEMON_PID" || fail "the daemon died after $1"
}

abuse() {	# case expected-output
	python3 raw.py "$sock" "$1" >out 2>err || fail "raw.py $1: $(cat err)"
	assert_eq "$2" "$(cat out)" "what the daemon said to '$1'"
	still_answers "$1"
}

abuse garbage "201 125 protocol version 542393671 is not spoken here (formationd speaks 1)
eof"
abuse short-garbage "eof"
abuse truncated "closed"
abuse huge "201 125 message too long
eof"
abuse unknown-type "201 125 unknown request (type 999)
eof"
abuse reply-as-request "201 125 unknown request (type 200)
eof"
abuse version "201 125 protocol version 2 is not spoken here (formationd speaks 1)
eof"
abuse version-huge "201 125 protocol version 0 is not spoken here (formationd speaks 1)
eof"
abuse bad-payload "201 125 malformed request (type 101)
eof"
abuse trailing "201 125 malformed request (type 100)
eof"
abuse listen-no-type "201 125 malformed request (type 150)
eof"
# A request that brings fds is refused before it is acted on.
abuse fds "201 125 unexpected file descriptors
eof"
abuse many-fds "201 125 too many file descriptors
eof"
# Several requests in one write, and one request a byte at a time.
abuse pipelined "202
202
202
eof"
abuse trickle "202
eof"

# 200 connections that say nothing: accepted, and ps still answers.
mkfifo hold
python3 raw.py "$sock" silent 200 <hold >silent.out 2>&1 &
SILENT=$!
exec 3>hold
wait_for 'grep -q open silent.out' 10 || fail "silent: $(cat silent.out)"
wait_for '[ $(fds) -ge $((base + 200)) ]' 10 ||
    fail "the daemon holds $(fds) fds, not $base + 200"
still_answers "200 silent connections"
exec 3>&-
wait "$SILENT" || fail "silent: $(cat silent.out)"
wait_for '[ $(fds) -eq $base ]' 10 ||
    fail "the daemon holds $(fds) fds after the silent ones left, not $base"

# Past PEERS_MAX (512) connections, the next is refused, clearly.
if [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge 1100 ]; then
	python3 raw.py "$sock" crowd 512 >out 2>err ||
	    fail "crowd: $(cat err)"
	assert_eq "201 1 too many connections
eof" "$(cat out)" "the 513th connection"
	still_answers "513 connections"
	wait_for '[ $(fds) -eq $base ]' 10 ||
	    fail "the daemon holds $(fds) fds after the crowd, not $base"
	# The CLI says why too, whether the refusal comes before or after
	# its request is sent.
	mkfifo hold2
	python3 raw.py "$sock" silent 512 <hold2 >crowd.out 2>&1 &
	CROWD=$!
	exec 4>hold2
	wait_for 'grep -q open crowd.out' 10 || fail "crowd: $(cat crowd.out)"
	wait_for '[ $(fds) -ge $((base + 512)) ]' 10 ||
	    fail "the daemon holds $(fds) fds, not $base + 512"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$FORMATION" ps >out 2>err
		assert_eq 1 $? "ps past PEERS_MAX: status"
		assert_eq "formation: too many connections" "$(cat err)" \
		    "ps past PEERS_MAX"
	done
	exec 4>&-
	wait "$CROWD" || fail "crowd: $(cat crowd.out)"
	still_answers "the crowd left"
fi

# A client that never reads its replies is cut off, not fed forever.
python3 raw.py "$sock" no-reader >out 2>err || fail "no-reader: $(cat err)"
assert_eq dropped "$(cat out)" "a client that does not read"
wait_for 'grep -q "a client (pid [0-9]*) stopped reading: closed" .formation/formation.log' 5 ||
    fail "no log of the dropped client"
still_answers "a client that does not read"

wait_for '[ $(fds) -eq $base ]' 10 ||
    fail "the daemon holds $(fds) fds in the end, not $base"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

#!/bin/sh
# A client that floods requests and reads none of the replies, then asks
# for a one-off on a terminal, freezes nothing: the pty master goes out
# with its frame, when the socket takes it, and meanwhile the daemon
# answers everyone else. Once the flooder reads, it gets every reply in
# order and the master with MSG_ONEOFF_STARTED.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

printf 'web: exec sleep 600\n' >Procfile
start_detached -t 1
sock=$T/.formation/formation.sock

cat >flood.py <<'PY'
# flood.py SOCKET: 20,000 MSG_PS unread, then a tty MSG_ONEOFF; on "read"
# from stdin, read every reply and check them.
import array, os, socket, struct, sys

PS, ONEOFF, PS_REPLY, STARTED, EXIT = 100, 111, 202, 302, 303
HDR = struct.Struct("=III")
N = 20000
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(HDR.pack(1, PS, 0) * N)
args = b"sleep\0" + b"30\0"
body = struct.pack("=I", 2) + b"dumb\0" + struct.pack("=III", 24, 80, 2) + args
s.sendall(HDR.pack(1, ONEOFF, len(body)) + body)
print("sent", flush=True)
sys.stdin.readline()

buf, fds, nps = b"", [], 0
s.settimeout(20)
while True:
    msg, anc, flags, addr = s.recvmsg(65536, socket.CMSG_SPACE(16))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            a = array.array("i")
            a.frombytes(data[:len(data) - len(data) % a.itemsize])
            fds += list(a)
    if not msg:
        sys.exit("eof before the one-off started (%d ps replies)" % nps)
    buf += msg
    done = False
    while len(buf) >= HDR.size:
        v, t, n = HDR.unpack_from(buf)
        if len(buf) < HDR.size + n:
            break
        buf = buf[HDR.size + n:]
        if t == PS_REPLY:
            nps += 1
        elif t == STARTED:
            done = True
            break
        else:
            sys.exit("unexpected reply %d after %d ps replies" % (t, nps))
    if done:
        break
assert nps == N, "%d ps replies before the one-off, not %d" % (nps, N)
assert len(fds) == 1, "%d fds with the one-off" % len(fds)
assert os.isatty(fds[0]), "the fd is not a terminal"
print("ok: %d ps replies, then the pty master" % nps, flush=True)
PY

mkfifo go
python3 flood.py "$sock" <go >flood.out 2>&1 &
fpid=$!
exec 7>go
wait_for 'grep -q sent flood.out' 20 || fail "the flood: $(cat flood.out)"

# The daemon is still there for everyone else: ps within a second, a few
# times over while the flooder's replies sit unread.
i=0
while [ $i -lt 5 ]; do
	t0=$(now)
	timeout 10 "$FORMATION" ps >ps.out 2>&1 ||
	    fail "ps while a client floods: status $? ($(cat ps.out))"
	took=$(elapsed "$t0")
	echo "ps answered in ${took}s"
	awk -v t="$took" 'BEGIN { exit !(t < 1) }' ||
	    fail "ps took ${took}s while a client flooded the daemon"
	grep -q 'web\.1' ps.out || fail "ps: $(cat ps.out)"
	i=$((i + 1))
done

echo read >&7
exec 7>&-
wait $fpid || fail "the flooder: $(cat flood.out)"
cat flood.out
"$FORMATION" stop run >/dev/null 2>&1
"$FORMATION" down >/dev/null 2>&1
wait_for "! alive $DAEMON_PID" 15 || fail "the daemon did not go down"
exit 0

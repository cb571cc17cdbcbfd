# An up -d that stops reading (SIGSTOP) while the daemon tells it, line by
# line, whom it still waits for does not stall the daemon: 40 instances
# of a type with a 180-character name become ready one after another, far
# more than a pipe holds in waiting lines, and all of them get there while
# up -d is stopped; continued, up -d still hears that the formation is up.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

name=$(printf 'w%.0s' $(seq 180))
cat >ready.py <<'PY'
import os, socket, time
i = int(os.environ["PS"].rsplit(".", 1)[1])
time.sleep(0.5 + i * 0.05)
addr = os.environ["NOTIFY_SOCKET"]
if addr.startswith("@"):
    addr = "\0" + addr[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"READY=1", addr)
time.sleep(1000)
PY
echo "$name: exec python3 ready.py" >Procfile
printf '[process.%s]\nready = notify\n' "$name" >formation.ini

"$FORMATION" up -d -m "$name=40" >upd.out 2>&1 &
cli=$!
sock=$T/.formation/formation.sock
wait_for '[ -S "$sock" ]' 20 || fail "no daemon: $(cat upd.out)"
kill -STOP "$cli"
running() {
	"$FORMATION" ps --json 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(p["state"] == "running" for p in d["processes"]))'
}
wait_for '[ "$(running)" = 40 ]' 60 || {
	n=$(running)
	kill -CONT "$cli"
	fail "with up -d stopped, ${n:-no answer: the daemon is stalled;} of 40 ready"
}
kill -CONT "$cli"
wait "$cli"
assert_eq 0 $? "up -d's status: $(cat upd.out)"
assert_grep '^formation is up (pid [0-9]*)' upd.out
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' upd.out)
"$FORMATION" down >/dev/null || fail "down"

#!/bin/sh
# A command with shell syntax that is one simple command runs as
# "exec COMMAND" in the shell: the process formation starts, reports and
# signals is the app, not a shell around it. ps, --json and the started
# line give the app's pid; an app that ignores SIGTERM is reported as
# killed by SIGKILL, its own death. A list (;, &&, |) stays the shell's.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >app.py <<'PY'
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", " ".join(sys.argv[1:]), os.environ.get("MODE", "-"),
      flush=True)
time.sleep(600)
PY
cat >Procfile <<'P'
web: MODE=$GREETING python3 app.py --bind ":$PORT" >>web.log 2>&1
worker: python3 app.py 'a; b' ${PORT:-0}
list: sleep 600; echo after
P
echo GREETING=hi >.env
start_detached -t 1
wait_for 'grep -q "ready --bind :5000 hi" web.log' 10 ||
    fail "web did not start: $(cat web.log)"
wait_for '"$FORMATION" logs worker | grep -q "ready a; b 5100 -"' 10 ||
    fail "worker did not start: $("$FORMATION" logs)"

for name in web.1 worker.1; do
	pid=$(ps_field $name pid)
	assert_eq python3 "$(cat /proc/$pid/comm 2>/dev/null)" \
	    "the process of $name (pid $pid)"
	"$FORMATION" ps >ps.out || fail "ps failed"
	grep -q "^$name  *running  *$pid " ps.out ||
	    fail "ps does not give $name as pid $pid: $(cat ps.out)"
	assert_grep "system *| $name started (pid $pid)" \
	    .formation/formation.log
done
# A list is the shell's: its process is the shell.
pid=$(ps_field list.1 pid)
assert_eq sh "$(cat /proc/$pid/comm 2>/dev/null)" "the process of list.1"

# The app ignores SIGTERM: after the timeout it is SIGKILLed, and that is
# what is reported, not the death of a shell by SIGTERM.
"$FORMATION" stop web >/dev/null || fail "stop web failed"
wait_for 'grep -q "web\.1 killed by SIGKILL$" .formation/formation.log' 10 ||
    fail "web.1's end: $(grep 'web\.1' .formation/formation.log | tail -n 3)"
assert_grep 'web\.1 did not stop within 1\.0s: sending SIGKILL$' \
    .formation/formation.log
assert_no_grep 'web\.1 killed by SIGTERM' .formation/formation.log
# 128 + 9: SIGKILL, as a shell gives it.
assert_eq 137 "$(ps_field web.1 last_exit)" "web.1's last exit in --json"
"$FORMATION" ps >ps.out
grep -q '^web\.1 .*SIGKILL' ps.out || fail "ps: $(cat ps.out)"
exit 0

#!/bin/sh
# Closing the terminal of a foreground "formation up" stops the formation
# gracefully, as a shell job ends with its terminal, whether the daemon
# leads the terminal's session or is a job of an interactive shell; what
# the terminal could not show, and the rest of the log, are appended to
# .formation/formation.log. While the terminal is there, SIGHUP reloads.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
drive="python3 $TESTS_TOP/tests/integration/ptydrive.py"

# web says goodbye slowly; count writes as fast as it can, so that at the
# hangup the daemon holds lines the terminal has not taken.
cat >Procfile <<'P'
web: trap 'echo got TERM; sleep 0.3; echo bye; exit 0' TERM; echo ready; while :; do sleep 0.1; done
count: exec seq 100000000
P

# The daemon leads the session: the hangup's SIGHUP comes from the kernel.
$drive --out pty.out 'expect:ready' 'expect:count.1' hold:1 hangup -- \
    "$FORMATION" up -t 5 >drive.out 2>&1
rc=$?
assert_eq 0 "$rc" "status of up after the hangup ($(cat drive.out))"
log=.formation/formation.log
[ -f $log ] || fail "no $log"
assert_grep 'system *| SIGHUP received: the terminal hung up: stopping' $log
assert_grep 'web\.1 *| got TERM$' $log
assert_grep 'web\.1 *| bye$' $log
assert_grep 'web\.1 exited with status 0 (the shell.s: that of the last command it ran)$' $log
assert_no_grep "$(printf '\033')" $log
[ ! -e .formation/formation.sock ] || fail "the socket is still there"

# What the daemon had queued for the terminal is in the log: the lines of
# count there follow on from the last the terminal showed, with no more
# missing between than the terminal's own buffer held (some 64 KiB), and
# none missing after.
python3 - pty.out $log <<'PY' || fail "count lines lost"
import re, sys
pty = open(sys.argv[1], "rb").read().decode(errors="replace")
pty = re.sub(r"\x1b\[[0-9;]*m", "", pty)
seen = [int(n) for n in re.findall(r"count\.1 *\| (\d+)\r\n", pty)]
# The last may be cut short: seq was killed in the middle of a write.
log = [int(n) for n in re.findall(r"count\.1 *\| (\d+)$",
                                   open(sys.argv[2]).read(), re.M)][:-1]
assert seen and log, "seen %d, logged %d" % (len(seen), len(log))
assert log == list(range(log[0], log[0] + len(log))), "a gap in the log"
gap = log[0] - seen[-1] - 1
print("terminal to %d, log from %d (%d lines in the log)" %
      (seen[-1], log[0], len(log)))
assert 0 <= gap and gap * 10 < 80 * 1024, "%d lines missing" % gap
assert len(log) > 10000, "the daemon's queue was not in the log"
PY

# A job of an interactive shell: bash passes the SIGHUP on, and the output
# fails with EIO, whichever comes first.
mkdir job
cp Procfile job/
cd job
echo "PS1='\$ '" >rc
$drive 'expect:$ ' "send:$FORMATION up -t 5\\r" 'expect:ready' hangup -- \
    bash --rcfile rc --noprofile -i >drive.out 2>&1
wait_for '[ -z "$(survivors)" ]' 15 ||
    fail "the formation lives on: $(survivors | tr '\n' ' ')"
assert_grep 'the terminal hung up: stopping' .formation/formation.log
assert_grep 'web\.1 *| bye$' .formation/formation.log
cd ..

# While the terminal is there, SIGHUP is a reload, and Ctrl-C stops.
rm -f .formation/formation.log
$drive --out reload.out 'expect:ready' signal:HUP \
    'expect:SIGHUP received: reloading' 'expect:no change' 'send:\x03' \
    'expect:web.1 exited' -- "$FORMATION" up -t 5 >drive.out 2>&1 ||
    fail "reload in the foreground: $(cat drive.out)"
assert_no_grep 'hung up' reload.out
assert_no_survivors
exit 0

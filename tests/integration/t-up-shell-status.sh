#!/bin/sh
# A command the shell keeps (a list) is reported as the shell's: its
# start line says the pid is /bin/sh's, ps marks that pid, and its end
# says whose status it is: 137 from the shell whose last program SIGKILL
# killed, 3 from its last command. A simple command's lines and pid are
# its program's, as ever. A one-off follows the same rule.
. "$(dirname "$0")/lib.sh"
command -v pgrep >/dev/null || skip "no pgrep"
# bash may exec the last command of a list itself; dash never does.
case $(readlink -f /bin/sh) in
*/dash) ;;
*) skip "/bin/sh is not dash" ;;
esac

cat >Procfile <<'P'
list: echo hi; sleep 100
three: echo hi; exit 3
simple: sleep 100
P
cat >formation.ini <<'P'
[process.three]
restart = never
P
start_detached -t 5
log=.formation/formation.log
for name in list.1 simple.1; do
	wait_for "[ \"\$(ps_field $name state)\" = running ]" 10 ||
	    fail "$name is not running: $("$FORMATION" ps)"
done
list=$(ps_field list.1 pid)
simple=$(ps_field simple.1 pid)
assert_eq sh "$(cat /proc/$list/comm 2>/dev/null)" "the process of list.1"
assert_eq sleep "$(cat /proc/$simple/comm 2>/dev/null)" \
    "the process of simple.1"

# The start lines: the shell's says so, the program's is as it was.
assert_grep "list\.1 started (pid $list, /bin/sh running the command)\$" \
    $log
assert_grep "simple\.1 started (pid $simple)\$" $log

# ps marks the shell's pid with a *, and only that one.
"$FORMATION" ps >ps.out 2>ps.err || fail "ps: $(cat ps.err)"
awk '$1 == "list.1"' ps.out >row
assert_grep "^list\.1  *running  *$list\*  " row
awk '$1 == "simple.1"' ps.out >row
assert_grep "^simple\.1  *running  *$simple  " row
assert_no_grep '\*' row

# list.1's last program is SIGKILLed: the shell exits 137, the status
# the shell gives for it, and the line names the signal.
sleep=$(pgrep -g "$list" -x sleep)
[ -n "$sleep" ] || fail "no sleep in the group of list.1 ($list)"
kill -KILL "$sleep"
wait_for "grep -q 'list\.1 exited with status 137 (the shell.s: its last program was killed by SIGKILL)\$' $log" 10 ||
    fail "list.1's end: $(grep 'list\.1' $log | tail -n 3)"
assert_no_grep 'list\.1 killed by' $log
wait_for '[ "$(ps_field list.1 last_exit)" = 137 ]' 10 ||
    fail "list.1's last exit: $(cat "$T/ps.json")"
assert_eq "{'signal': 'SIGKILL', 'number': 9, 'killed': 'last program'}" \
    "$(ps_field list.1 last_exit_signal)" "list.1's last_exit_signal"
"$FORMATION" ps >ps.out 2>ps.err || fail "ps: $(cat ps.err)"
assert_grep "^list\.1 .* SIGKILL\*  " ps.out

# A list that ends with exit 3: the shell's status, that of its last
# command.
wait_for "grep -q 'three\.1 exited with status 3 (the shell.s: that of the last command it ran)\$' $log" 10 ||
    fail "three.1's end: $(grep 'three\.1' $log | tail -n 3)"
wait_for '[ "$(ps_field three.1 state)" = exited ]' 10 ||
    fail "three.1 is not exited: $(cat "$T/ps.json")"
assert_eq 3 "$(ps_field three.1 last_exit)" "three.1's last exit"
assert_eq None "$(ps_field three.1 last_exit_signal)" \
    "three.1's last_exit_signal"
"$FORMATION" ps >ps.out 2>ps.err || fail "ps: $(cat ps.err)"
assert_grep '^three\.1 .* status 3\*  ' ps.out

# The simple command SIGKILLed: killed by SIGKILL, as before, the pid
# that ps gave the sleep's own.
kill -KILL "$simple"
wait_for "grep -q 'simple\.1 killed by SIGKILL\$' $log" 10 ||
    fail "simple.1's end: $(grep 'simple\.1' $log | tail -n 3)"
wait_for '[ "$(ps_field simple.1 last_exit)" = 137 ]' 10 ||
    fail "simple.1's last exit: $(cat "$T/ps.json")"
assert_eq "{'signal': 'SIGKILL', 'number': 9, 'killed': 'program'}" \
    "$(ps_field simple.1 last_exit_signal)" "simple.1's last_exit_signal"
# Restarted, it is its program again.
wait_for "[ \"\$(ps_field simple.1 state)\" = running ] &&
    [ \"\$(ps_field simple.1 pid)\" != $simple ]" 10 ||
    fail "simple.1 was not restarted: $(cat "$T/ps.json")"
"$FORMATION" ps >ps.out 2>ps.err || fail "ps: $(cat ps.err)"
awk '$1 == "simple.1"' ps.out >row
assert_grep '^simple\.1 .* SIGKILL  ' row
assert_no_grep '\*' row

# A one-off: the same lines, in the daemon's log.
"$FORMATION" oneoff -T 'echo hi; exit 4' >oneoff.out 2>&1
assert_eq 4 $? "the one-off's status"
wait_for "grep -q 'run\.[0-9]* exited with status 4 (the shell.s: that of the last command it ran)\$' $log" 10 ||
    fail "the one-off's end: $(grep 'run\.' $log | tail -n 3)"
assert_grep 'run\.[0-9]* started (pid [0-9]*, /bin/sh running the command): echo hi; exit 4$' $log
"$FORMATION" oneoff -T 'exec true' >oneoff.out 2>&1
assert_eq 0 $? "the exec one-off's status"
wait_for "grep -q 'run\.[0-9]* started (pid [0-9]*): exec true\$' $log" 10 ||
    fail "the exec one-off's start: $(grep 'run\.' $log | tail -n 3)"
wait_for "grep -q 'run\.[0-9]* exited with status 0\$' $log" 10 ||
    fail "the exec one-off's end: $(grep 'run\.' $log | tail -n 3)"

"$FORMATION" down >/dev/null || fail "down"
DAEMON_PID=""
exit 0

#!/bin/sh
# A command that is not one simple command (a list, here) runs as the
# shell, and its pid and exit status are the shell's: ps --json says
# "shell": true for it, before and after its exit, and its end says it
# was the shell that was killed. A simple command, one that starts with
# exec, or a list that ends with exec PROGRAM, is the program's:
# "shell": false.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
list: sleep 1000; true
simple: sleep 1000
direct: exec sleep 1000
tail: true; exec sleep 1000
P
start_detached -t 5
for name in list.1 simple.1 direct.1 tail.1; do
	wait_for "[ \"\$(ps_field $name state)\" = running ]" 10 ||
	    fail "$name is not running: $("$FORMATION" ps)"
done

pid=$(ps_field list.1 pid)
assert_eq sh "$(cat /proc/$pid/comm 2>/dev/null)" "the process of list.1"
assert_eq True "$(ps_field list.1 shell)" "list.1's shell in --json"
for name in simple.1 direct.1 tail.1; do
	pid=$(ps_field $name pid)
	# The pid becomes the program's once the shell gets to exec.
	wait_for "[ \"\$(cat /proc/$pid/comm 2>/dev/null)\" = sleep ]" 10 ||
	    fail "the process of $name is $(cat /proc/$pid/comm 2>/dev/null)"
	assert_eq False "$(ps_field $name shell)" "$name's shell in --json"
done

# Stopped, the shell dies of the SIGTERM: its last exit is the shell's.
"$FORMATION" stop list simple >/dev/null || fail "stop failed"
log=.formation/formation.log
wait_for "grep -q 'list\.1 killed by SIGTERM (the shell itself)\$' $log" 10 ||
    fail "list.1's end: $(grep 'list\.1' $log | tail -n 3)"
wait_for "grep -q 'simple\.1 killed by SIGTERM\$' $log" 10 ||
    fail "simple.1's end: $(grep 'simple\.1' $log | tail -n 3)"
assert_eq 143 "$(ps_field list.1 last_exit)" "list.1's last exit"
assert_eq True "$(ps_field list.1 shell)" "list.1's shell after its exit"
assert_eq False "$(ps_field simple.1 shell)" "simple.1's shell after its exit"
assert_eq "{'signal': 'SIGTERM', 'number': 15, 'killed': 'shell'}" \
    "$(ps_field list.1 last_exit_signal)" "list.1's last_exit_signal"
assert_eq "{'signal': 'SIGTERM', 'number': 15, 'killed': 'program'}" \
    "$(ps_field simple.1 last_exit_signal)" "simple.1's last_exit_signal"
exit 0

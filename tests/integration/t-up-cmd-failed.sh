#!/bin/sh
# A command that is not found (127) or cannot be executed (126) five
# times in a row is failed: not restarted, with a system line saying why,
# until start names it. A process that exits otherwise keeps restarting.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

printf 'echo hi\n' >notexec
chmod 644 notexec
cat >Procfile <<'P'
missing: no-such-command-formation-test --flag
bad: ./notexec
shell: echo start; no-such-command-formation-test; exit 127
web: exec sleep 600
P
start_detached -t 1
log=.formation/formation.log
# Starts at 0, 0, 1, 3 and 7 s: the fifth exit ends it.
for t in missing bad shell; do
	wait_for '[ "$(ps_field '$t'.1 state)" = failed ]' 30 ||
	    fail "$t.1 is not failed: $(cat "$T/ps.json")"
done
assert_grep "system *| missing\.1 failed: command not found 5 times in a row, not restarted (start it to try again)\$" "$log"
assert_grep "system *| bad\.1 failed: command not executable 5 times in a row, not restarted (start it to try again)\$" "$log"
assert_grep "system *| shell\.1 failed: command not found 5 times in a row, not restarted (start it to try again)\$" "$log"
for t in missing bad shell; do
	assert_eq 5 "$(grep -c "system *| $t\.1 started (pid" "$log")" \
	    "starts of $t.1"
	assert_eq None "$(ps_field $t.1 pid)" "pid of failed $t.1"
done
assert_eq running "$(ps_field web.1 state)" "web.1 state"
"$FORMATION" ps >ps.out || fail "ps failed"
assert_grep '^missing\.1  *failed  *-  ' ps.out
# It stays failed: the last back-off was 4 s, the next would be 8 s.
! wait_for '[ "$(grep -c "system *| missing\.1 started (pid" "$log")" -gt 5 ]' 2 ||
    fail "missing.1 was started again"

# start TYPE tries again, five times more.
"$FORMATION" start missing >out 2>err
assert_eq 0 $? "start missing status: $(cat err)"
wait_for '[ "$(grep -c "system *| missing\.1 started (pid" "$log")" -ge 6 ]' 5 ||
    fail "start missing did not start missing.1"
wait_for '[ "$(grep -c "system *| missing\.1 failed: command not found" "$log")" -ge 2 ]' 30 ||
    fail "missing.1 did not fail again: $(cat "$T/ps.json")"
assert_eq 10 "$(grep -c "system *| missing\.1 started (pid" "$log")" \
    "starts of missing.1 after start"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

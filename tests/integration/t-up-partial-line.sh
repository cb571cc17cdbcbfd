#!/bin/sh
# The last line of a process, without its newline, is printed at its exit,
# before the line that reports the exit.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
partial: printf 'first\nno newline'; exit 0
keep: exec sleep 1000
P
cat >formation.ini <<'P'
[process.partial]
restart = never
P
start_up
wait_for '[ "$(up_count "partial\.1 exited")" -ge 1 ]' ||
    fail "partial.1 did not exit"
stop_up
assert_no_survivors
assert_grep 'partial\.1 *| first$' up.log
assert_grep 'partial\.1 *| no newline$' up.log
text=$(grep -n 'partial\.1 *| no newline$' up.log | cut -d: -f1)
exit=$(grep -n 'partial\.1 exited with status 0 (the shell.s: that of the last command it ran)$' up.log | cut -d: -f1)
[ "$text" -lt "$exit" ] ||
    fail "the partial line (line $text) came after the exit (line $exit)"
exit 0

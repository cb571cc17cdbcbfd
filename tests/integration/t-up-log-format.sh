#!/bin/sh
# The log: "HH:MM:SS name | text", the name column padded to the widest
# name; colour only on a terminal (or with --color), never with NO_COLOR;
# under journald no timestamps and no colour.
. "$(dirname "$0")/lib.sh"
esc=$(printf '\033')

cat >Procfile <<'P'
a: echo hello from a; exec sleep 1000
longername: echo hello from longername; exec sleep 1000
P
# The widest name is longername.1, twelve columns.
pad_a=$(printf '%-12s' a.1)
pad_l=$(printf '%-12s' longername.1)
pad_s=$(printf '%-12s' system)
ts='[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'

start_up
wait_for '[ "$(up_count "| hello from")" -ge 2 ]' || fail "no output"
stop_up
assert_grep "^$ts $pad_a | hello from a\$" up.log
assert_grep "^$ts $pad_l | hello from longername\$" up.log
assert_grep "^$ts $pad_s | a\.1 started (pid [0-9]*)\$" up.log
# Every line has the shape, and not a byte of colour: stdout is a file.
assert_eq 0 "$(grep -vc "^$ts [a-z.1 ]\{12\} | " up.log)" "malformed lines"
assert_no_grep "$esc" up.log
assert_no_survivors

# --color forces it.
start_up --color
wait_for '[ "$(up_count "hello from")" -ge 2 ]' || fail "no output (--color)"
stop_up
assert_grep "$esc\[[0-9;]*m$ts $pad_a |$esc\[0m hello from a\$" up.log
assert_no_survivors

# A terminal: colour, unless NO_COLOR is set.
if ! command -v script >/dev/null 2>&1; then
	skip "no script(1) to give the daemon a terminal"
fi
# Both processes print, then the formation ends with the first exit.
cat >Procfile <<'P'
a: echo hello from a; exec sleep 1000
longername: sleep 0.3; echo hello from longername
P
on_tty() {	# env assignments for the daemon
	script -qec "env $* '$FORMATION' up --exit-on-exit" /dev/null \
	    </dev/null >tty.log 2>&1
}
on_tty
assert_grep "hello from longername" tty.log
assert_grep "$esc\[[0-9;]*m$ts $pad_l |$esc\[0m hello from longername" \
    tty.log
assert_no_survivors
on_tty NO_COLOR=1
assert_grep "^$ts $pad_l | hello from longername" tty.log
assert_no_grep "$esc" tty.log
assert_no_survivors

# journald: JOURNAL_STREAM names our stdout (the terminal), so neither
# timestamps nor colour.
on_tty 'JOURNAL_STREAM=$(stat -L -c %d:%i /proc/$$/fd/1)'
assert_grep "^$pad_l | hello from longername" tty.log
assert_no_grep "$esc" tty.log
assert_no_grep "^$ts " tty.log
assert_no_survivors

# A JOURNAL_STREAM that names another file is not journald.
on_tty JOURNAL_STREAM=1:1
assert_grep "$esc\[[0-9;]*m$ts $pad_l |" tty.log
assert_no_survivors
exit 0

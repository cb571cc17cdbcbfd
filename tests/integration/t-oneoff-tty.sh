# TTY mode: with a terminal, the one-off gets a pty of its own as its
# controlling terminal, with our window size (and its changes) and TERM;
# Ctrl-C reaches the one-off, not the CLI; all its output arrives; and our
# terminal's settings are restored, even when the daemon dies.
. "$TESTS_TOP/tests/integration/lib.sh"

command -v python3 >/dev/null || skip "no python3"
drive() {
	python3 "$TESTS_TOP/tests/integration/ptydrive.py" "$@"
}

echo 'web: exec sleep 1000' >Procfile
start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

# Its own terminal, our size and TERM; resize and Ctrl-C through it.
TERM=test-term drive --size 24 80 --out out --stty stty \
    'expect:ready' 'resize:30:100' 'expect:30 100' 'send:\x03' -- \
    "$FORMATION" oneoff 'tty; [ -t 0 ] && [ -t 2 ] && echo all-ttys
	echo "TERM=$TERM"; stty size
	trap "stty size" WINCH; trap "echo got-int; exit 7" INT
	echo ready; while :; do sleep 0.05; done'
assert_eq 7 $? "status after Ctrl-C"
tr -d '\r' <out >out.txt
assert_grep '^/dev/pts/[0-9]*$' out.txt
assert_grep '^all-ttys$' out.txt
assert_grep '^TERM=test-term$' out.txt
assert_grep '^24 80$' out.txt
assert_grep '^30 100$' out.txt
assert_grep 'got-int' out.txt
[ "$(sed -n 1p stty)" = "$(sed -n 2p stty)" ] ||
    fail "terminal settings changed: $(cat stty)"

# The controlling terminal: a new session whose leader is the one-off.
drive --out out -- "$FORMATION" oneoff \
    'ps -o sid=,tpgid=,tty= -p $$; echo "me=$$"'
assert_eq 0 $? "status of ps"
tr -d '\r' <out >out.txt
me=$(sed -n 's/^me=//p' out.txt)
set -- $(grep -v '^me=' out.txt)
assert_eq "$me $me" "$1 $2" "session and foreground group"

# Everything written before the exit is relayed, however fast it exits.
drive --out out -- "$FORMATION" oneoff 'seq 1 20000; exit 3'
assert_eq 3 $? "status after a burst of output"
tr -d '\r' <out >out.txt
assert_eq 20000 "$(wc -l <out.txt | tr -d ' ')" "lines relayed"
assert_eq 20000 "$(tail -n 1 out.txt)" "last line"

# -T with a terminal: the caller's own fds, no pty of its own.
drive --out out -- sh -c 'tty; "$FORMATION" oneoff -T tty'
tr -d '\r' <out >out.txt
assert_eq 2 "$(grep -c '^/dev/pts/' out.txt)" "ttys seen"
assert_eq 1 "$(sort -u out.txt | wc -l | tr -d ' ')" "one tty for both"
# -t without a terminal: a pty all the same.
"$FORMATION" oneoff -t sh -c 'tty; stty size' </dev/null >out 2>&1
assert_eq 0 $? "-t without a terminal"
tr -d '\r' <out >out.txt
assert_grep '^/dev/pts/[0-9]*$' out.txt

# Stopped and continued: raw mode again, however the shell left the
# terminal meanwhile; SIGTSTP does not end it (here its stop is
# discarded: the driver is no job-control shell). The one-off runs on,
# and cat, leading its session with no shell in between, ends with its
# own status at the EOF (its terminal is not hung up under it).
drive --out out --stty stty 'mode:raw' 'signal:STOP' 'state:T' \
    'setmode:cooked' 'signal:CONT' 'state:!T' 'mode:raw' \
    'send:hello\r' 'expect:hello' 'signal:TSTP' 'mode:raw' \
    'send:again\r' 'expect:again' 'send:\x04' -- "$FORMATION" oneoff -t cat
assert_eq 0 $? "status of cat after a stop"
[ "$(sed -n 1p stty)" = "$(sed -n 2p stty)" ] ||
    fail "terminal settings changed after a stop: $(cat stty)"

# The daemon dies under it: the terminal is restored, then the CLI says so.
( wait_for '[ -f started ]' && kill -KILL "$UP_PID" ) &
killer=$!
drive --out out --stty stty -- "$FORMATION" oneoff 'touch started; sleep 100'
assert_eq 125 $? "status when the daemon is gone"
wait "$killer"
tr -d '\r' <out >out.txt
assert_grep '^formation: lost the connection to formationd$' out.txt
[ "$(sed -n 1p stty)" = "$(sed -n 2p stty)" ] ||
    fail "terminal settings changed when the daemon died: $(cat stty)"
wait "$UP_PID"
UP_PID=""
assert_no_survivors

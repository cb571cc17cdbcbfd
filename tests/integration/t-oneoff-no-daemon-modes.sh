# One-offs with no daemon, the other ways: on a pty of their own (window,
# TERM, Ctrl-C, the ~. escape) as with a daemon; run of a type that reads
# $PORT gets a free one, said on a terminal; --no-daemon runs it here
# even with a daemon up (no ps entry, the current release), --daemon and
# -d refuse to go without one; a release phase kept pending runs at the
# next up, on that version.
. "$TESTS_TOP/tests/integration/lib.sh"

command -v python3 >/dev/null || skip "no python3"
drive() {
	python3 "$TESTS_TOP/tests/integration/ptydrive.py" "$@"
}
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mkdir www
echo hello-web >www/index.html
cat >Procfile <<'PROCFILE'
web: exec python3 -m http.server ${PORT} --bind 127.0.0.1 --directory www
worker: exec sleep 1000
PROCFILE

# A pty of its own, our size and TERM; Ctrl-C through it; terminal restored.
TERM=test-term drive --size 24 80 --out out --stty stty \
    'expect:ready' 'resize:30:100' 'expect:30 100' 'send:\x03' -- \
    "$FORMATION" oneoff 'tty; echo "TERM=$TERM PS=$PS"; stty size
	trap "stty size" WINCH; trap "echo got-int; exit 7" INT
	echo ready; while :; do sleep 0.05; done'
assert_eq 7 $? "status after Ctrl-C"
tr -d '\r' <out >out.txt
assert_grep '^formation: no formation is up; running against v1, made now' out.txt
assert_grep '^/dev/pts/[0-9]*$' out.txt
assert_grep '^TERM=test-term PS=run\.0$' out.txt
assert_grep '^24 80$' out.txt
assert_grep '^30 100$' out.txt
assert_grep 'got-int' out.txt
[ "$(sed -n 1p stty)" = "$(sed -n 2p stty)" ] ||
    fail "terminal settings changed: $(cat stty)"

# -t and no terminal: a pty all the same, of the default size.
COLUMNS=90 LINES=33 "$FORMATION" oneoff -t 'tty; stty size' </dev/null \
    >out 2>/dev/null
assert_eq 0 $? "-t without a terminal"
tr -d '\r' <out >out.txt
assert_grep '^/dev/pts/[0-9]*$' out.txt
assert_grep '^33 90$' out.txt

# ~. detaches, and the one-off is hung up.
drive --out out 'expect:ready' 'send:\r~.' -- "$FORMATION" oneoff \
    'trap "echo hup >hup.out; exit 0" HUP; echo ready
	while :; do sleep 0.05; done'
assert_eq 129 $? "status after ~."
tr -d '\r' <out >out.txt
assert_grep '^formation: detached from run\.0, which is sent SIGHUP$' out.txt
wait_for '[ -s hup.out ]' || fail "the detached one-off was not hung up"

# run web: a free PORT, said on a terminal, and it serves.
drive --out out 'expect:Serving HTTP' 'send:\x03' -- "$FORMATION" run web
tr -d '\r' <out >out.txt
port=$(sed -n 's/^run\.0 on port \([0-9]*\)$/\1/p' out.txt)
[ -n "$port" ] || fail "no port said: $(cat out.txt)"
assert_grep "port $port" out.txt
# Without a terminal, nothing said; --port N is that one.
p=$(free_port)
"$FORMATION" oneoff --port "$p" 'echo $PORT' >out 2>err
assert_eq "$p" "$(cat out)" "PORT of oneoff --port"
assert_no_grep 'on port' err
"$FORMATION" oneoff 'echo "[$PORT]"' >out 2>/dev/null
assert_eq "[]" "$(cat out)" "PORT of a one-off that does not read it"

# A daemon up: --no-daemon runs it here, against the current release
# (v2: -p is a setting of every type, content of the release).
base=$(free_port)
start_up -p "$base"
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"
assert_grep 'formation v2 in ' up.log
"$FORMATION" oneoff --no-daemon -T 'echo "$PS $FORMATION_RELEASE $PPID"
	echo started >nd.out; while [ ! -e nd.stop ]; do sleep 0.05; done' \
    </dev/null >out 2>err &
cli=$!
wait_for '[ -s nd.out ]' || fail "the --no-daemon one-off did not start"
"$FORMATION" ps >ps.txt
assert_no_grep '^run\.' ps.txt
touch nd.stop
wait "$cli"
assert_eq 0 $? "status of --no-daemon"
assert_eq "run.0 v2 $cli" "$(cat out)" "the --no-daemon one-off"
assert_eq "formation: --no-daemon; running against v2 from .formation/releases" \
    "$(cat err)" "the note of --no-daemon"
# Without it, the daemon's one-off.
out=$("$FORMATION" oneoff 'echo $PS' 2>err)
case $out in run.[1-9]*) ;; *) fail "a daemon's one-off is '$out'" ;; esac
[ ! -s err ] || fail "a note with a daemon up: $(cat err)"
stop_up

# --daemon with none up: refused, as without a fallback.
"$FORMATION" oneoff --daemon true >out 2>err
assert_eq 125 $? "--daemon with no daemon"
assert_grep "^formation: no formation is up in '" err
"$FORMATION" oneoff -d true >out 2>err
assert_eq 125 $? "-d with no daemon"
assert_grep "^formation: no formation is up in '" err
"$FORMATION" oneoff --no-daemon -d true >out 2>err
assert_eq 2 $? "--no-daemon -d"
"$FORMATION" oneoff --daemon --no-daemon true >out 2>err
assert_eq 2 $? "--daemon --no-daemon"

# A release phase: kept pending, and the next up runs it on that version.
mkdir phased
cat >phased/Procfile <<'PROCFILE'
release: echo "phase of $FORMATION_RELEASE" >>phase.out
worker: exec sleep 1000
PROCFILE
cd phased || fail "cd phased"
"$FORMATION" oneoff 'echo $FORMATION_RELEASE' >out 2>err
assert_eq 0 $? "status of a one-off before the release phase"
assert_eq v1 "$(cat out)" "release of the one-off"
assert_grep '(its release phase runs at the next up)$' err
assert_grep '^status pending$' .formation/releases/v1.release
[ ! -e phase.out ] || fail "a one-off ran the release phase"
# Again: the same pending v1, not a v2.
"$FORMATION" oneoff 'echo $FORMATION_RELEASE' >out 2>/dev/null
assert_eq v1 "$(cat out)" "release of a second one-off"
: >"$T/up.log"
"$FORMATION" up >>"$T/up.log" 2>&1 &
UP_PID=$!
wait_for '[ -s phase.out ]' || fail "up did not run the release phase"
wait_for 'grep -q "worker.1 started" "$T/up.log"' ||
    fail "up did not start the formation"
assert_eq "phase of v1" "$(cat phase.out)" "the release phase"
assert_grep 'formation v1 in ' "$T/up.log"
assert_no_grep '^status' .formation/releases/v1.release
assert_eq 1 "$(ls .formation/releases | wc -l | tr -d ' ')" "releases kept"
cd "$T" || fail "cd"
stop_up

assert_no_survivors

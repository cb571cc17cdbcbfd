#!/bin/sh
# A daemon of another user is sent nothing. nobody puts a Procfile and a
# listening socket in .formation of a directory of its own: a CLI of root
# run below it refuses before it connects, and exits 125. Where the
# directory is root's but the socket behind it is nobody's, or where the
# socket is named and its file is not its listener's, the CLI connects,
# sees who listens (SO_PEERCRED), and sends no byte and no descriptor.
# A named socket whose file and listener are both nobody's is talked to,
# and the CLI says whose it is.
. "$(dirname "$0")/lib.sh"
need_other
[ -x /usr/bin/python3 ] || skip "no /usr/bin/python3 for another user to run"

chmod 755 "$T"
mkdir -m 1777 shared
mkdir -m 755 fake
# Where nobody can read it (the tree may be in a home of mode 0700).
cp "$TESTS_TOP/tests/integration/fakeserver.py" fake/
chown $OTHER fake
FAKE_PIDS=""
fake() {	# socket log
	# Not through as_other: $! must be the server, not a subshell.
	setpriv --reuid=$OTHER --regid=$OTHER --clear-groups \
	    /usr/bin/python3 "$T/fake/fakeserver.py" "$1" "$2" &
	FAKE_PIDS="$FAKE_PIDS $!"
	wait_for "grep -q listening '$2' 2>/dev/null" ||
	    fail "the fake server on $1 did not start"
}
trap 'for p in $FAKE_PIDS; do kill $p 2>/dev/null; done; cleanup' EXIT

# nobody's app up the tree (the reproduction).
as_other mkdir -p shared/t2/sub shared/t2/.formation || fail "mkdir as nobody"
as_other sh -c "printf 'web: id\n' >'$T/shared/t2/Procfile'"
fake "$T/shared/t2/.formation/formation.sock" "$T/fake/t2.log"
for cmd in "oneoff -T id" ps down "run web" releases "releases show v1"; do
	(cd shared/t2/sub && "$FORMATION" $cmd) >out 2>err </dev/null
	assert_eq 125 $? "$cmd under nobody's app: status"
	assert_eq "formation: refusing '$T/shared/t2/.formation/formation.sock': it belongs to uid $OTHER (nobody)" \
	    "$(cat err)" "$cmd under nobody's app"
	assert_eq "" "$(cat out)" "$cmd under nobody's app: stdout"
done
assert_eq "listening" "$(cat fake/t2.log)" "what nobody's server saw"

# Root's app, whose .formation/formation.sock is a link to nobody's
# socket: connected, not trusted, nothing sent.
mkdir -p mine/.formation
chmod 700 mine/.formation
printf 'web: id\n' >mine/Procfile
fake "$T/fake/mine.sock" "$T/fake/mine.log"
ln -s "$T/fake/mine.sock" mine/.formation/formation.sock
(cd mine && "$FORMATION" oneoff -T id) >out 2>err </dev/null
assert_eq 125 $? "oneoff through a link to nobody's socket: status"
assert_eq "formation: refusing '$T/mine/.formation/formation.sock': it belongs to uid $OTHER (nobody)" \
    "$(cat err)" "oneoff through a link to nobody's socket"
wait_for "grep -q closed fake/mine.log" || fail "no end of the connection"
assert_eq "listening
connection
bytes 0 fds 0 b''
closed" "$(cat fake/mine.log)" "what nobody's server saw through the link"

# A socket named, whose file is root's but whose listener is nobody.
fake "$T/fake/named.sock" "$T/fake/named.log"
chown 0 fake/named.sock
(cd / && "$FORMATION" --socket "$T/fake/named.sock" oneoff -T id) >out 2>err \
    </dev/null
assert_eq 125 $? "--socket to nobody's listener: status"
assert_eq "formation: refusing '$T/fake/named.sock': it belongs to uid $OTHER (nobody)" \
    "$(cat err)" "--socket to nobody's listener"
(cd / && FORMATION_SOCKET=$T/fake/named.sock "$FORMATION" ps) >out 2>err
assert_eq 125 $? "FORMATION_SOCKET to nobody's listener: status"
wait_for '[ "$(grep -c closed fake/named.log)" -eq 2 ]' ||
    fail "no end of the connections"
assert_eq 0 "$(grep -c '^bytes [1-9]\|fds [1-9]' fake/named.log)" \
    "bytes or fds nobody's named server got: $(cat fake/named.log)"

# Named, and nobody's file and listener both: asked for, so talked to.
chown $OTHER fake/named.sock
(cd / && "$FORMATION" --socket "$T/fake/named.sock" ps) >out 2>err
assert_eq 1 $? "ps to nobody's daemon, named: status"
assert_eq "formation: talking to the daemon of uid $OTHER (nobody) on '$T/fake/named.sock'" \
    "$(head -n 1 err)" "ps to nobody's daemon, named"
wait_for '[ "$(grep -c closed fake/named.log)" -eq 3 ]' ||
    fail "no end of the third connection"
grep -q '^bytes [1-9][0-9]* fds 0 ' fake/named.log ||
    fail "the request did not reach the named daemon: $(cat fake/named.log)"
exit 0

# formation -H ssh://USER@HOST:PORT/APP/DIR against a real OpenSSH server:
# a private sshd on a free loopback port, with its own host key, config
# and authorized_keys, and the system's ssh client. ps, env, a pipe
# one-off (bytes exact, exit codes, remote quoting), a tty one-off under a
# pty; ssh -t only from a terminal, BatchMode without one; 125 with ssh's
# message when ssh fails; FORMATION_HOST; run --listen answered there; a
# one-off with no formation up there.
. "$TESTS_TOP/tests/integration/lib.sh"

command -v python3 >/dev/null || skip "no python3"
command -v ssh >/dev/null || skip "no ssh client"
if [ ! -x /usr/sbin/sshd ] && [ "$(id -u)" = 0 ]; then
	apt-get install -y -qq openssh-server >/dev/null 2>&1 ||
	    { apt-get update -qq >/dev/null 2>&1 &&
	    apt-get install -y -qq openssh-server >/dev/null 2>&1; }
fi
[ -x /usr/sbin/sshd ] || skip "no sshd (openssh-server) and cannot install it"
drive() {
	python3 "$TESTS_TOP/tests/integration/ptydrive.py" "$@"
}
SSHD_PID=""
stop_sshd() {
	[ -n "$SSHD_PID" ] || return 0
	kill -TERM "$SSHD_PID" 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	SSHD_PID=""
}
trap 'rc=$?; stop_sshd; (exit $rc); cleanup' EXIT

# The server: its own key, config and authorized_keys, in $T/ssh.
mkdir -m 700 ssh
ssh-keygen -q -t ed25519 -N '' -f ssh/host_key || fail "ssh-keygen host"
ssh-keygen -q -t ed25519 -N '' -f ssh/id || fail "ssh-keygen client"
cp ssh/id.pub ssh/authorized_keys
port=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
user=$(id -un)
mkdir -p /run/sshd 2>/dev/null
# StrictModes would refuse keys under /tmp (world-writable); root logs in
# with a key only. SetEnv tags the remote side's processes, so no
# survivor goes unseen.
cat >ssh/sshd_config <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $T/ssh/host_key
PidFile $T/ssh/sshd.pid
AuthorizedKeysFile $T/ssh/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PrintMotd no
PrintLastLog no
SetEnv TEST_TAG=$TEST_TAG
EOF
/usr/sbin/sshd -D -e -f "$T/ssh/sshd_config" 2>ssh/sshd.log &
SSHD_PID=$!
wait_for "grep -q 'Server listening' ssh/sshd.log" ||
    fail "sshd did not start: $(cat ssh/sshd.log)"

# The client: the system's ssh with a config of its own, through a
# wrapper first on PATH that notes the arguments formation gives it.
mkdir bin
cat >ssh/config <<EOF
Host *
	IdentityFile $T/ssh/id
	IdentitiesOnly yes
	UserKnownHostsFile $T/ssh/known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
EOF
echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 ssh/host_key.pub)" >ssh/known_hosts
cat >bin/ssh <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$T/ssh/args"
exec $(command -v ssh) -F "$T/ssh/config" "\$@"
EOF
chmod +x bin/ssh
PATH=$T/bin:$PATH
export PATH

# The app, somewhere ssh does not start in.
mkdir app
cd app || exit 1
echo 'web: exec sleep 1000' >Procfile
echo 'GREETING=hello-from-the-release' >.env
start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"
cd "$T" || exit 1
url="ssh://$user@127.0.0.1:$port$T/app"
remote() {
	"$FORMATION" -H "$url" --remote-formation "$FORMATION" "$@"
}

# ps and env, from the formation of that directory.
remote ps </dev/null >out 2>err || fail "ps over ssh: $(cat err)"
assert_grep '^web\.1 .*running' out
tail -n 1 ssh/args | grep -q -- '-o BatchMode=yes' ||
    fail "no BatchMode without a terminal: $(tail -n 1 ssh/args)"
tail -n 1 ssh/args | grep -q -- ' -t ' &&
    fail "-t without a terminal: $(tail -n 1 ssh/args)"
GREETING=local remote env </dev/null >out || fail "env over ssh"
assert_grep '^GREETING=hello-from-the-release$' out

# A pipe one-off: bytes exact both ways, its exit code back; quoted for
# the remote shell, expanded only by the release's.
head -c 3M /dev/urandom >in
remote oneoff -T 'cat; exit 3' <in >got
assert_eq 3 $? "status of a piped one-off"
cmp -s in got || fail "bytes changed through ssh"
GREETING=local remote oneoff 'echo "$GREETING"; echo "$PS"' </dev/null >out
assert_eq 0 $? "status of echo"
assert_eq hello-from-the-release "$(sed -n 1p out)" "expanded there"
sed -n 2p out | grep -q '^run\.[0-9]*$' || fail "PS: $(cat out)"
remote oneoff printf '%s|' 'a b' "it's" '$HOME' '*' </dev/null >out
assert_eq "a b|it's|\$HOME|*|" "$(cat out)" "arguments through two shells"
remote oneoff 'exit 255' </dev/null 2>err
assert_eq 255 $? "a one-off's own 255"
[ ! -s err ] || fail "stderr of a one-off's 255: $(cat err)"
remote oneoff 'kill -TERM $$' </dev/null
assert_eq 143 $? "status of a one-off killed by SIGTERM"

# A tty one-off: a pty there, our window size, ssh -t.
drive --size 30 100 --out out -- "$FORMATION" -H "$url" \
    --remote-formation "$FORMATION" oneoff 'tty; stty size; exit 5'
assert_eq 5 $? "status of a tty one-off"
tr -d '\r' <out >out.txt
assert_grep '^/dev/pts/[0-9]*$' out.txt
assert_grep '^30 100$' out.txt
tail -n 1 ssh/args | grep -q -- '^-t ' ||
    fail "no -t on a terminal: $(tail -n 1 ssh/args)"
tail -n 1 ssh/args | grep -q BatchMode &&
    fail "BatchMode on a terminal: $(tail -n 1 ssh/args)"

# FORMATION_HOST, and no directory: the remote CLI starts where ssh
# does, finds no app there and says so, with its own status.
FORMATION_HOST=$url remote ps </dev/null >out || fail "ps by FORMATION_HOST"
assert_grep '^web\.1 ' out
"$FORMATION" -H "ssh://$user@127.0.0.1:$port" --remote-formation \
    "$FORMATION" ps </dev/null >out 2>err
assert_eq 1 $? "status without an app there"
assert_grep 'no formation is up' err

# ssh itself fails: 125, with ssh's message.
closed=$(python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$FORMATION" -H "ssh://127.0.0.1:$closed/x" ps </dev/null >out 2>err
assert_eq 125 $? "status when ssh fails"
assert_grep 'Connection refused' err
assert_grep "^formation: ssh to 'ssh://127.0.0.1:$closed/x' failed$" err
"$FORMATION" -H "host:22" ps 2>err
assert_eq 2 $? "status of a bad address"
assert_grep "^formation: bad host 'host:22': not ssh://" err

# run --listen is the remote daemon's to answer: the sockets are held
# there (this app holds none).
remote run -T --listen web </dev/null >out 2>err
assert_eq 1 $? "status of run --listen over ssh"
assert_grep "^formation: run --listen: web holds no sockets " err

# No formation up there: the remote CLI runs it against the kept release
# (migrate, then start, from a deploy), its note on our stderr.
stop_up
GREETING=local remote oneoff 'echo "$GREETING $PS"; exit 4' </dev/null \
    >out 2>err
assert_eq 4 $? "status of a one-off with no formation up there"
assert_eq "hello-from-the-release run.0" "$(cat out)" \
    "a one-off with no formation up there"
assert_grep '^formation: no formation is up; running against v1 from .formation/releases$' err
# but never run --listen, which needs the daemon that holds the sockets.
remote run -T --listen web </dev/null >out 2>err
assert_eq 125 $? "status of run --listen with no formation up there"
assert_grep "^formation: run --listen: no formation is up here to hold web's sockets" err
[ ! -s out ] || fail "run --listen ran there: $(cat out)"

stop_sshd
assert_no_survivors

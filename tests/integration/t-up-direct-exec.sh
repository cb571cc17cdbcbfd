#!/bin/sh
# A command without shell syntax runs without a shell in between, and
# behaves in every other way as under /bin/sh -c: the same environment
# (PWD included), PATH searched from the app root, a missing program or a
# script without "#!" handled by the shell as before. One-offs likewise,
# and "run TYPE ARG..." passes its arguments as words of their own.
. "$(dirname "$0")/lib.sh"

mkdir bin
cat >bin/args <<'P'
#!/bin/sh
# The parent, then each argument on a line of its own.
echo "parent $PPID"
for a; do echo "arg $a"; done
P
printf 'echo no-shebang ran with "$1"\nexec sleep 1013\n' >bin/noshebang
# Later in PATH: the shell runs the first, a script without #!, instead.
mkdir bin2
printf '#!/bin/sh\necho the wrong noshebang\n' >bin2/noshebang
chmod +x bin/args bin/noshebang bin2/noshebang
echo "PATH=bin:bin2:/usr/bin:/bin" >.env
cat >Procfile <<'P'
plain: sleep 1011
shelled: sleep 1012; :
missing: no-such-program-here
script: noshebang first
pwd: printenv PWD
tool: args one
quoted: args "two words"
P
# The directory up is started from is not the app root's PWD; PATH comes
# from .env, as an inherited one would win.
(cd / && env -u PATH PWD=/ "$FORMATION" -C "$T" up -d -t 1 \
    >"$T/up-d.out" 2>&1) ||
    fail "up -d: $(cat "$T/up-d.out")"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' up-d.out)
[ -n "$DAEMON_PID" ] || fail "no daemon pid: $(cat up-d.out)"

pid_of() {	# name
	"$FORMATION" ps --json | tr '{' '\n' |
	    sed -n "s/.*\"name\": \"$1\".*\"pid\": \([0-9]*\).*/\1/p"
}
wait_for '[ -n "$(pid_of plain.1)" ] && [ -n "$(pid_of shelled.1)" ]' ||
	fail "plain.1 and shelled.1 did not start"
plain=$(pid_of plain.1)
shelled=$(pid_of shelled.1)
assert_eq sleep "$(cat /proc/"$plain"/comm)" "program of plain.1"
assert_eq "$DAEMON_PID" "$(awk '{ print $4 }' /proc/"$plain"/stat)" \
    "parent of plain.1"
assert_eq sh "$(cat /proc/"$shelled"/comm)" "program of shelled.1"

log() { "$FORMATION" logs -n 1000 "$@"; }
wait_for 'log missing | grep -q "not found"' ||
	fail "no 'not found' from the shell: $(log missing)"
wait_for 'log | grep -q "missing.1 exited with status 127"' ||
	fail "missing.1 did not exit 127: $(log)"
wait_for 'log script | grep -q "no-shebang ran with first"' ||
	fail "a script without #! did not run: $(log script)"
wait_for 'log pwd | grep -q "| /"' || fail "pwd.1 said nothing: $(log pwd)"
root=$(pwd -P)
log pwd | grep -q "| $root\$" || fail "PWD is not the app root: $(log pwd)"

# One-offs: the program is the daemon's child, the arguments intact.
out=$("$FORMATION" oneoff 'args x') || fail "oneoff args x: $?"
assert_eq "parent $DAEMON_PID
arg x" "$out" "oneoff 'args x'"
out=$("$FORMATION" run tool 'a b' '$HOME' '*') || fail "run tool: $?"
assert_eq "parent $DAEMON_PID
arg one
arg a b
arg \$HOME
arg *" "$out" "run tool"
# Quotes need the shell, which then execs the program: the daemon's
# child again, with the words as the shell made them.
out=$("$FORMATION" run quoted 'c d') || fail "run quoted: $?"
assert_eq "parent $DAEMON_PID
arg two words
arg c d" "$out" "run quoted"
"$FORMATION" oneoff 'no-such-program-here' 2>err.out
assert_eq 127 "$?" "status of a missing one-off program"
assert_grep "not found" err.out

"$FORMATION" down >/dev/null || fail "down"

# The shell runs even a plain command when the environment has no PATH
# (it has its own default, so sleep is found all the same), or could
# change what bash would do; as one simple command it execs it, and the
# process is the program either way.
plain_program() {	# env-args...
	rm -rf "$T/app2" && mkdir "$T/app2" && cd "$T/app2" || fail "app2"
	echo 'plain: sleep 1014' >Procfile
	env "$@" "$FORMATION" up -d -t 1 >up-d.out 2>&1 ||
		fail "up -d $*: $(cat up-d.out)"
	wait_for '[ -n "$(pid_of plain.1)" ]' || fail "plain.1 ($*)"
	# Until its exec, the child is a copy of formationd.
	wait_for '[ "$(cat /proc/$(pid_of plain.1)/comm)" != formationd ]' ||
		fail "plain.1 did not exec ($*)"
	cat /proc/"$(pid_of plain.1)"/comm
	"$FORMATION" down >/dev/null || fail "down ($*)"
	cd "$T" || fail "cd"
}
assert_eq sleep "$(plain_program -u PATH)" "program without PATH"
assert_eq sleep "$(plain_program SHELLOPTS=xtrace)" "program with SHELLOPTS"
assert_eq sleep "$(plain_program FOO=bar)" "program otherwise"
assert_no_survivors
exit 0

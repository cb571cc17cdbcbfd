# The escapes of a tty one-off, as ssh has them: Enter ~ . detaches (the
# one-off is hung up, the terminal restored, status 129), Enter ~ Ctrl-Z
# suspends the CLI under a job-control shell while the one-off runs on,
# ~~ sends a ~, ~? lists them; --escape picks another character or none;
# piped input is never taken for an escape.
. "$TESTS_TOP/tests/integration/lib.sh"

command -v python3 >/dev/null || skip "no python3"
command -v bash >/dev/null || skip "no bash"
drive() {
	python3 "$TESTS_TOP/tests/integration/ptydrive.py" "$@"
}

cat >Procfile <<'PROCFILE'
web: exec sleep 1000
console: echo re''ady; exec cat
PROCFILE
start_up -t 2 web
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

# Detach: a hang-up for the one-off, our terminal back, status 129.
drive --out out --stty stty 'expect:ready' 'send:abc\r' 'expect:abc' \
    'send:~.' -- "$FORMATION" oneoff \
    "trap 'echo \$\$ >hup; exit 0' HUP; echo re''ady; while :; do sleep 0.05; done"
assert_eq 129 $? "status after ~."
tr -d '\r' <out >out.txt
assert_grep '^formation: detached from run\.[0-9]*, which is sent SIGHUP$' \
    out.txt
wait_for '[ -s hup ]' || fail "the one-off was not hung up"
assert_no_grep '~' out.txt
[ "$(sed -n 1p stty)" = "$(sed -n 2p stty)" ] ||
    fail "terminal settings changed: $(cat stty)"
wait_for '[ "$(ps_json "len([n for n in p if n.startswith(\"run.\")])")" = 0 ]' ||
    fail "the one-off is still listed"

# ~~ sends one ~, ~? lists the escapes, a ~ inside a line is a ~, and
# what follows a ~ that is no escape is sent with it.
drive --out out 'expect:ready' 'send:~~one\r' 'expect:~one' \
    'send:~?' 'expect:escape sequences' 'send:a~.b\r' 'expect:a~.b' \
    'send:~x\r' 'expect:~x' 'send:\x04' -- \
    "$FORMATION" oneoff "echo re''ady; exec cat"
assert_eq 0 $? "status of cat"
tr -d '\r' <out >out.txt
assert_grep '^ ~\.    - detach' out.txt
assert_grep '^ ~^Z   - suspend formation$' out.txt
assert_no_grep '^~~one' out.txt

# Another character, and none.
drive --out out 'expect:ready' 'send:~.\r' 'expect:~.' 'send:\x1d.' -- \
    "$FORMATION" oneoff --escape '^]' "echo re''ady; exec cat"
assert_eq 129 $? "status after ^] ."
drive --out out 'expect:ready' 'send:~.\r' 'expect:~.' 'send:\x04' -- \
    "$FORMATION" run --escape none console
assert_eq 0 $? "status of cat with --escape none"
tr -d '\r' <out >out.txt
assert_no_grep 'detached' out.txt
"$FORMATION" oneoff --escape ab true 2>err
assert_eq 2 $? "status of a bad --escape"
assert_grep "^formation: bad escape character 'ab'" err

# Piped into a tty one-off: bytes, not keys.
printf 'x\n~.\n~~\n' | "$FORMATION" oneoff -t 'stty -echo; cat' >out 2>&1
assert_eq 0 $? "status of a piped tty one-off"
tr -d '\r' <out >out.txt
assert_grep '^~\.$' out.txt
assert_grep '^~~$' out.txt

# Suspend under a job-control shell: the CLI stops, the one-off runs on;
# fg brings raw mode and the relay back.
drive --out out 'expect:$ ' \
    "send:\"\$FORMATION\" oneoff 'echo \$\$ >pid; echo re\"\"ady; exec cat'\r" \
    'expect:ready' 'send:one\r' 'expect:one' 'send:~\x1a' 'expect:Stopped' \
    'send:echo "s""t=$(ps -o stat= -p $(cat pid))"\r' 'expect:st=' \
    'send:fg\r' "expect:exec cat'" 'mode:raw' 'send:two\r' 'expect:two' \
    'send:\x04' 'expect:$ ' 'send:exit\r' -- env PS1='$ ' bash --norc --noprofile -i
assert_eq 0 $? "status of the shell"
tr -d '\r' <out >out.txt
st=$(sed -n 's/.*st=\([A-Z]\).*/\1/p' out.txt | tail -n 1)
[ -n "$st" ] && [ "$st" != T ] || fail "the one-off was stopped too: '$st'"
assert_grep '^\[1\]+ *Stopped' out.txt

stop_up
assert_no_survivors

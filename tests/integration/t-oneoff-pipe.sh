# Pipe mode: the one-off reads and writes the CLI's own stdin, stdout and
# stderr, so data passes unchanged, EOF reaches it, and the streams stay
# apart.
. "$TESTS_TOP/tests/integration/lib.sh"

echo 'web: exec sleep 1000' >Procfile
start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

head -c 20M /dev/urandom >in
want=$(sha256sum <in)
got=$("$FORMATION" oneoff -T cat <in | sha256sum)
assert_eq "$want" "$got" "sha256 through cat"

# EOF on a pipe reaches the one-off (else this hangs until the bound).
got=$(printf 'one\ntwo' | timeout 10 "$FORMATION" oneoff -T wc -l)
assert_eq 1 "$got" "lines counted through a pipe"
got=$(timeout 10 "$FORMATION" oneoff -T cat </dev/null | wc -c)
assert_eq 0 "$got" "bytes from /dev/null"

"$FORMATION" oneoff -T sh -c 'echo to-out; echo to-err >&2; exit 4' \
    >out 2>err
assert_eq 4 $? "status"
assert_eq to-out "$(cat out)" "stdout"
assert_eq to-err "$(cat err)" "stderr"

# Without a terminal, pipe mode is the default.
got=$("$FORMATION" oneoff '[ -t 0 ] || [ -t 1 ] || echo no-tty' </dev/null)
assert_eq no-tty "$got" "default mode without a terminal"

# A closed stdin reads as empty, not as an error.
got=$("$FORMATION" oneoff -T cat <&- | wc -c)
assert_eq 0 "$got" "bytes from a closed stdin"

stop_up
assert_no_survivors

#!/bin/sh
# tty = true in [process.NAME]: the type's processes write to a terminal
# (their controlling terminal), the others to a pipe.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
term: if test -t 1 && test -t 2; then echo "a tty"; else echo "no tty"; fi; exec sleep 1000
pipe: if test -t 1; then echo "a tty"; else echo "no tty"; fi; exec sleep 1000
P
cat >formation.ini <<'P'
[process.term]
tty = true
P
start_up
wait_for '[ "$(up_count "| .* tty$")" -ge 2 ]' || fail "no output"
assert_grep 'term\.1 *| a tty$' up.log
assert_grep 'pipe\.1 *| no tty$' up.log
# Lines end in "\n" as through a pipe, not "\r\n".
assert_no_grep "$(printf '\r')" up.log
pid=$(up_pid term.1)
case $(readlink /proc/$pid/fd/1) in
/dev/pts/*) ;;
*) fail "stdout of term.1 is $(readlink /proc/$pid/fd/1)" ;;
esac
# Its controlling terminal (field 7 of stat, tty_nr) is set.
set -- $(sed 's/^.*) //' /proc/$pid/stat)
[ "$5" != 0 ] || fail "term.1 has no controlling terminal"
assert_eq /dev/null "$(readlink /proc/$pid/fd/0)" "stdin of term.1"
stop_up
assert_no_survivors
exit 0

#!/bin/sh
# formation ps keeps its columns in line whatever the cells hold (a
# LAST EXIT of "status 127" beside "SIGSEGV" and "-"), and fits the
# terminal's width (COLUMNS, else the terminal's own) by shortening
# COMMAND, not by wrapping; piped with no COLUMNS, the command is whole.
. "$(dirname "$0")/lib.sh"

long="exec sleep 600 # $(printf 'x%.0s' $(seq 150))"
cat >Procfile <<P
web: exec sleep 600
gone: exit 127
segv: kill -SEGV \$\$
long: $long
P
start_detached -t 1
wait_for '[ "$(ps_field gone.1 last_exit)" = 127 ] &&
    [ "$(ps_field segv.1 last_exit)" = 139 ]' 20 ||
    fail "no exits: $(cat "$T/ps.json")"

# in_line FILE: the COMMAND of every row starts where its title does.
in_line() {
	_col=$(sed -n 2p "$1" | awk '{ print index($0, "COMMAND") }')
	[ "$_col" -gt 0 ] || fail "$1: no COMMAND title: $(cat "$1")"
	sed -n '3,$p' "$1" | while IFS= read -r line; do
		rest=$(printf '%s\n' "$line" | cut -c "$_col"-)
		case $rest in
		e*|k*) ;;	# exec ..., exit 127, kill ..., or shortened
		*) echo "$line" ;;
		esac
	done >"$1.bad"
	[ ! -s "$1.bad" ] || fail "$1: out of line at $_col: $(cat "$1.bad")"
}

"$FORMATION" ps >out 2>err || fail "ps: $(cat err)"
assert_grep 'status 127' out
assert_grep 'SIGSEGV' out
in_line out
assert_grep "long\.1 .*$long\$" out

# COLUMNS=80: every line fits, the long command is cut and says so.
COLUMNS=80 "$FORMATION" ps >out 2>err || fail "ps: $(cat err)"
in_line out
awk 'length($0) > 80 { print; bad = 1 } END { exit bad }' out >long ||
    fail "wider than 80: $(cat long)"
assert_grep '^long\.1 .* e[^ ]*.*\.\.\.$' out
# What fits is whole.
COLUMNS=200 "$FORMATION" ps >out 2>err || fail "ps: $(cat err)"
in_line out
assert_grep '^web\.1 .* exec sleep 600$' out
assert_grep '^long\.1 .* exec sleep 600 # xxx*\.\.\.$' out
# Narrower than the other columns: the command keeps a few characters.
COLUMNS=30 "$FORMATION" ps >out 2>err || fail "ps: $(cat err)"
in_line out

# A terminal of 80 columns, COLUMNS unset.
python3 - "$FORMATION" >tty.out <<'PY' || fail "ps on a pty"
import fcntl, os, pty, struct, sys, termios
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    os.environ.pop("COLUMNS", None)
    os.execv(sys.argv[1], [sys.argv[1], "ps"])
out = b""
while True:
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
sys.stdout.write(out.decode().replace("\r\n", "\n"))
PY
in_line tty.out
awk 'length($0) > 80 { print; bad = 1 } END { exit bad }' tty.out >long ||
    fail "wider than the terminal: $(cat long)"
assert_grep '\.\.\.$' tty.out

"$FORMATION" down >/dev/null || fail "down"
DAEMON_PID=""
exit 0

#!/bin/sh
# The global options --socket, --color, --no-color and --timeout may
# follow the command name too; for run and oneoff, only before the
# command to run, whose own words they are after it.
. "$(dirname "$0")/lib.sh"

printf 'web: echo web-says-hello; exec sleep 600\n' >Procfile
sock=$T/elsewhere.sock
"$FORMATION" up -d -t 1 --socket "$sock" >up-d.out 2>&1 ||
    fail "up -d ... --socket: $(cat up-d.out)"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' up-d.out)
[ -S "$sock" ] || fail "up -d with --socket after it: no socket at $sock"
mv .formation/formation.sock .formation/moved-away
wait_for "grep -q web-says-hello .formation/formation.log" ||
    fail "web did not start"

# Not found without it: the app's link is moved away.
"$FORMATION" ps >out 2>err
assert_eq 1 $? "ps without --socket"
for words in "ps --socket $sock" "ps --socket=$sock" "ps --json --socket $sock"; do
	# shellcheck disable=SC2086
	"$FORMATION" $words >out 2>err || fail "$words: $(cat err)"
	assert_grep 'web\.1' out
done
"$FORMATION" scale web=2 --socket "$sock" >out 2>err || fail "scale: $(cat err)"
"$FORMATION" logs -n 5 web --socket "$sock" >out 2>err ||
    fail "logs: $(cat err)"
assert_grep 'web\.1 *| web-says-hello' out

# Colour after the command, both ways.
"$FORMATION" logs --color -n 5 --socket "$sock" web >out 2>err ||
    fail "logs --color: $(cat err)"
grep -q "$(printf '\033')\[" out || fail "logs --color: no colour"
"$FORMATION" --color logs --no-color -n 5 --socket "$sock" >out 2>err ||
    fail "logs --no-color: $(cat err)"
grep -q "$(printf '\033')" out && fail "logs --no-color: coloured"

# --timeout after the command, on a daemon that does not answer.
kill -STOP "$DAEMON_PID"
"$FORMATION" ps --socket "$sock" --timeout 0.5 >out 2>err
rc=$?
kill -CONT "$DAEMON_PID"
assert_eq 125 $rc "ps --timeout 0.5 on a stopped daemon"
assert_eq "formation: '$sock' did not answer within 0.5s" "$(cat err)" \
    "ps --timeout 0.5"

# oneoff: before the command, taken; after it, the command's.
"$FORMATION" oneoff -T --socket "$sock" printf '%s ' --color --socket x \
    >out 2>err || fail "oneoff: $(cat err)"
assert_eq "--color --socket x " "$(cat out)" "words after the command"
"$FORMATION" oneoff -e A=1 --socket "$sock" -T 'echo $A' >out 2>err ||
    fail "oneoff -e A=1 --socket: $(cat err)"
assert_eq 1 "$(cat out)" "oneoff -e A=1 --socket"
# Nor is anything after "--" taken.
"$FORMATION" ps --socket "$sock" -- --socket "$sock" >out 2>err
assert_eq 2 $? "ps -- --socket: operands"

"$FORMATION" down --socket "$sock" >out 2>err || fail "down: $(cat err)"
assert_eq "formation is down" "$(cat out)" "down --socket"
DAEMON_PID=""
assert_no_survivors
exit 0

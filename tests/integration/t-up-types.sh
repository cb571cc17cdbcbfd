#!/bin/sh
# formation up TYPE... runs only those types; an unknown type, as an
# argument or in -m, is a configuration error (78) that starts nothing.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: echo "web at $PORT"; exec sleep 1000
worker: echo "worker at $PORT"; exec sleep 1000
clock: echo "clock at $PORT"; exec sleep 1000
P
start_up web clock
wait_for '[ "$(up_count "| .* at ")" -ge 2 ]' || fail "no start"
assert_grep 'web\.1 *| web at 5000$' up.log
# Ports still follow the Procfile, not the arguments.
assert_grep 'clock\.1 *| clock at 5200$' up.log
assert_no_grep 'worker' up.log
stop_up
assert_no_survivors

# A count in -m still applies to the types named.
start_up -m web=2 web
wait_for '[ "$(up_count "| web at ")" -ge 2 ]' || fail "no start"
assert_grep 'web\.2 *| web at 5001$' up.log
assert_no_grep 'worker\|clock' up.log
stop_up
assert_no_survivors

# Nor does a count from formation.ini or -m for a type not named; until
# the type is scaled by hand.
printf '[scale]\nworker = 1\nweb = 2\n' >formation.ini
start_up -m clock=1 web
wait_for '[ "$(up_count "| web at ")" -ge 2 ]' || fail "no start"
assert_no_grep 'worker\|clock' up.log
timeout 5 "$FORMATION" scale worker=1 >out 2>&1 || fail "scale: $(cat out)"
wait_for '[ "$(up_count "worker\.1 *| worker at 5100$")" -ge 1 ]' ||
    fail "worker.1 did not start once scaled"
stop_up
assert_no_survivors
rm formation.ini

for args in "nosuch" "web nosuch" "-m nosuch=1" "-m web=2,nosuch=1 web"; do
	timeout 10 "$FORMATION" up $args >out 2>err
	rc=$?
	assert_eq 78 "$rc" "exit status of up $args"
	grep -q "'nosuch'.*(types: web, worker, clock)" err ||
	    fail "up $args: $(cat err)"
	assert_eq "" "$(cat out)" "stdout of up $args"
	[ ! -S .formation/formation.sock ] ||
	    fail "up $args left a socket behind"
done
assert_no_survivors
exit 0

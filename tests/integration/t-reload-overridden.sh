#!/bin/sh
# A reload that finds no change because the edited key of an env file is
# overridden by the environment formationd started with says so, naming
# the key and the file; a key that is not overridden makes a release.
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 1000\n' >Procfile
printf 'DEBUG=0\nLEVEL=info\n' >.env
export DEBUG=on LEVEL=warn
start_up -t 1
unset DEBUG LEVEL
wait_for '"$FORMATION" ps 2>/dev/null | grep -q "web.1 *running"' ||
    fail "the formation did not start"

printf 'DEBUG=1\nLEVEL=info\n' >.env
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v1 is current (DEBUG in .env is overridden by the environment formationd started with)" \
    "$(cat reload.out)" "reload output"
assert_grep "system *| reload: no change: v1 is current (DEBUG in .env is overridden" \
    up.log

printf 'DEBUG=2\nLEVEL=debug\n' >.env
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v1 is current (DEBUG in .env, LEVEL in .env are overridden by the environment formationd started with)" \
    "$(cat reload.out)" "reload output, two keys"

# A new key, and a key the daemon's environment does not have, are
# changes.
printf 'SECRET=b\n' >.env.local
printf '[formation]\nenv = .env, .env.local\n' >formation.ini
"$FORMATION" reload >reload.out 2>&1
assert_eq "reloaded: v2 (1 process restarting)" "$(head -n 1 reload.out)" \
    "a new key is a change"
printf 'SECRET=c\n' >.env.local
export SECRET=inherited
"$FORMATION" reload >reload.out 2>&1
unset SECRET
# SECRET is not in formationd's environment: the change is real.
assert_eq "reloaded: v3 (1 process restarting)" "$(head -n 1 reload.out)" \
    "a change the daemon's environment does not override"

# An unchanged file says nothing more.
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v3 is current" "$(cat reload.out)" "plain no change"
stop_up
assert_no_survivors
exit 0

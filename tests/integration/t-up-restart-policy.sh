#!/bin/sh
# restart = never and on-failure, per type in [process.NAME] and globally
# in [formation]; a type's own setting wins over the global one.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
never: echo run; exit 3
okay: echo run; exit 0
bad: echo run; exit 1
always: echo run; exit 0
P
cat >formation.ini <<'P'
[process.never]
restart = never
[process.okay]
restart = on-failure
[process.bad]
restart = on-failure
P

start_up
# bad and always come back after 0 s, then 1 s: by then a wrong restart
# of the others would have happened too.
wait_for '[ "$(up_count "bad\.1 *| run")" -ge 3 ] &&
    [ "$(up_count "always\.1 *| run")" -ge 3 ]' ||
    fail "bad.1 and always.1 were not restarted"
assert_eq 1 "$(up_count "never\.1 *| run")" "starts of never.1"
assert_eq 1 "$(up_count "okay\.1 *| run")" "starts of okay.1"
assert_grep 'system *| never\.1 will not be restarted (restart = never)$' \
    up.log
assert_grep 'system *| okay\.1 will not be restarted (restart = on-failure)$' \
    up.log
assert_no_grep 'system *| bad\.1 will not be restarted' up.log
# The daemon stays up with nothing running.
kill -0 "$UP_PID" || fail "the daemon ended"
stop_up
assert_no_survivors

# The global key, and a type that overrides it.
cat >formation.ini <<'P'
[formation]
restart = never
[process.always]
restart = always
P
start_up
wait_for '[ "$(up_count "always\.1 *| run")" -ge 3 ]' ||
    fail "always.1 was not restarted under a global 'never'"
for t in never okay bad; do
	assert_eq 1 "$(up_count "$t\.1 *| run")" "starts of $t.1"
	assert_grep "system *| $t\.1 will not be restarted (restart = never)\$" \
	    up.log
done
stop_up
assert_no_survivors

# FORMATION_RESTART wins over the file.
export FORMATION_RESTART=on-failure
start_up
unset FORMATION_RESTART
wait_for '[ "$(up_count "bad\.1 *| run")" -ge 3 ]' ||
    fail "bad.1 was not restarted with FORMATION_RESTART=on-failure"
assert_eq 1 "$(up_count "okay\.1 *| run")" "starts of okay.1"
stop_up
assert_no_survivors
exit 0

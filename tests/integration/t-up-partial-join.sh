#!/bin/sh
# A line written in pieces is one line when its end comes within a
# second, as "Applying migration... " and " OK" do; a partial line that
# waits longer (a prompt) is shown after that second, its next pieces
# after 100 ms each, and the newline that ends it makes no empty line.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
migrate: printf 'Applying contenttypes.0001_initial...'; sleep 0.4; printf ' OK\n'; printf 'Applying auth.0001_initial...'; sleep 0.3; printf ' OK\n'; exec sleep 1000
prompt: sleep 0.5; printf 'Continue? [y/N] '; sleep 3; printf 'y'; sleep 3; printf '\ndone\n'; exec sleep 1000
P
t0=$(now)
start_up -t 1
wait_for '[ "$(up_count "migrate\.1 *| Applying auth.0001_initial... OK$")" -ge 1 ]' 10 ||
    fail "the second migration line did not come"
assert_grep 'migrate\.1 *| Applying contenttypes\.0001_initial\.\.\. OK$' up.log
assert_eq 0 "$(up_count 'migrate\.1 *| OK$')" "pieces shown as lines of their own"
assert_eq 0 "$(up_count 'migrate\.1 *| Applying[^|]*\.\.\.$')" \
    "a first piece shown alone"

# The prompt shows after a second of waiting (never before: a loaded
# machine only makes it later), then its next piece on its own.
wait_for '[ "$(up_count "prompt\.1 *| Continue? \[y/N\] $")" -ge 1 ]' 10 ||
    fail "the prompt was not shown"
took=$(elapsed "$t0")
awk -v t="$took" 'BEGIN { exit !(t >= 1.4) }' ||
    fail "the prompt was shown after ${took}s, before its second of waiting"
wait_for '[ "$(up_count "prompt\.1 *| y$")" -ge 1 ]' 10 ||
    fail "the next piece of the prompt's line was not shown"
assert_eq 0 "$(up_count 'prompt\.1 *| done$')" \
    "the piece came after the end of the line"
wait_for '[ "$(up_count "prompt\.1 *| done$")" -ge 1 ]' 10 ||
    fail "the line after the prompt did not come"
assert_eq 0 "$(up_count 'prompt\.1 *| $')" "an empty line for the newline"
stop_up
assert_no_survivors
exit 0

#!/bin/sh
# Scaling back up while a scaled-down instance is still stopping: the
# instance runs again once it has stopped, and the count is met.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

# SIGTERM makes it linger for a second before it exits.
cat >Procfile <<'P'
slow: trap 'sleep 1; exit 0' TERM; while :; do sleep 0.1; done
P
start_detached -t 5 -m slow=2
old=$(ps_field slow.2 pid)
"$FORMATION" scale slow=1 >/dev/null || fail "scale slow=1 failed"
wait_for '[ "$(ps_field slow.2 state)" = stopping ]' 3 ||
    fail "slow.2 is not stopping: $(cat "$T/ps.json")"
"$FORMATION" scale slow=2 >/dev/null || fail "scale slow=2 failed"
wait_for "! alive $old" 5 || fail "the old slow.2 never stopped"
wait_for '[ "$(ps_field slow.2 state)" = running ]' 5 ||
    fail "slow.2 is not running again: $(cat "$T/ps.json")"
new=$(ps_field slow.2 pid)
[ "$new" != "$old" ] || fail "slow.2 kept pid $old"
assert_eq slow.2 "$(env_of "$new" PS)" "PS of the new slow.2"

# And scaled down for good, it goes.
"$FORMATION" scale slow=1 >/dev/null || fail "scale slow=1 failed"
wait_for '[ "$(ps_field slow.2 state)" = None ]' 5 ||
    fail "slow.2 is still listed: $(cat "$T/ps.json")"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

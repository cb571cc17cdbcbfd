#!/bin/sh
# 200 instances whose whole group ignores SIGTERM, the shell and the
# background child it waits for: down with -t 1 sends SIGTERM, waits the
# timeout, then SIGKILLs every group. Nothing survives, and down returns
# within the timeout plus a moment (3 s allowed for a loaded box).
. "$(dirname "$0")/lib.sh"

n=200
cat >Procfile <<'P'
stubborn: trap '' TERM; sleep 1000 & wait
P
start_detached -t 1 -m stubborn=$n
# The daemon, then a shell and a sleep per instance.
wait_for '[ "$(survivors | wc -l)" -ge $((2 * n + 1)) ]' 20 ||
    fail "$(survivors | wc -l) processes, expected $((2 * n + 1))"
# The sleeps ignore SIGTERM too: the test means what it says.
sleeps=0
for p in $(survivors); do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] || continue
	ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' "/proc/$p/status")
	[ $(( 0x$ign & 0x4000 )) -ne 0 ] || fail "sleep $p does not ignore TERM"
	sleeps=$((sleeps + 1))
done
assert_eq $n "$sleeps" "sleeps that ignore SIGTERM"

t0=$(now)
"$FORMATION" down >down.out 2>&1 || fail "down: $(cat down.out)"
took=$(elapsed "$t0")
# Checked at once, not polled: down has waited for all of it.
left=$(survivors)
[ -z "$left" ] || fail "$(echo "$left" | wc -l) processes survived down"
echo "down of $n stubborn groups took ${took}s (timeout 1 s)"
ge "$took" 1 || fail "down took ${took}s, less than the timeout"
ge 4 "$took" || fail "down took ${took}s, more than the timeout + 3 s"
log=.formation/formation.log
assert_eq $n "$(grep -c 'stubborn\.[0-9]* did not stop within 1\.0s: sending SIGKILL$' $log)" \
    "SIGKILLs sent"
assert_eq $n "$(grep -c 'system *| stubborn\.[0-9]* killed by SIGKILL (the shell itself)$' $log)" \
    "instances killed by SIGKILL"
exit 0

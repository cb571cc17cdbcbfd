# Stopping many processes looks for escaped descendants a bounded number
# of times, not once per child reaped. Each instance leaves a sleep in a
# session of its own, which its stop signal does not reach: the daemon,
# as subreaper, inherits it and must find and kill it. Reading all of
# /proc again for each one it reaped made 'down' of 1000 such processes
# take seconds.
. "${TESTS_TOP:-$(dirname "$0")/../..}/tests/integration/lib.sh"

N=100
printf 's: setsid sleep 1001 & exec sleep 1000\n' >Procfile
: >"$T/up.log"
"$FORMATIOND" -vv -m s=$N >"$T/up.log" 2>&1 &
UP_PID=$!
wait_for '[ "$(grep -c " started (pid" "$T/up.log")" -eq $N ]' ||
	fail "the $N processes did not start"
# A process counts as started once its shell runs, which may be before
# that shell has forked its escapee: wait for all N of them.
escapees() {
	for pid in $(survivors); do
		tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null
		echo
	done | grep -c '^sleep 1001 $'
}
wait_for '[ "$(escapees)" -eq $N ]' ||
	fail "only $(escapees) of the $N escapees started"
"$FORMATION" down >/dev/null || fail "down failed"
wait "$UP_PID"
assert_eq 0 "$?" "daemon exit status"
UP_PID=""
assert_eq $N "$(grep -c ' killed by SIGTERM' "$T/up.log")" "processes stopped"
# Every escapee found (one still dying when the sweep looks again counts
# twice; a busy machine may split them between two looks), in a few looks.
found=$(sed -n 's/.*looked for escaped processes: \([0-9]*\) found$/\1/p' \
    "$T/up.log" | tr '\n' ' ')
looks=$(echo $found | wc -w)
[ "$(echo $found | tr ' ' '\n' | awk '{ n += $1 } END { print n + 0 }')" \
    -ge $N ] || fail "escapees found in each look: $found, not all $N"
[ "$looks" -le 5 ] || fail "$looks looks for escaped processes for $N stops"
assert_no_survivors
exit 0

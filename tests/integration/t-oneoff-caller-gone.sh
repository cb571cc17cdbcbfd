# No one-off outlives its caller: when the CLI dies (kill -9), the one-off
# gets SIGHUP, then SIGKILL after the timeout. Signals the CLI receives go
# to the one-off's process group. down stops one-offs.
. "$TESTS_TOP/tests/integration/lib.sh"

echo 'web: exec sleep 1000' >Procfile
start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

alive() {	# pid file
	[ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Deaf to SIGHUP: killed after the 1 s timeout (+ 1 s of slack).
"$FORMATION" oneoff -T sh -c 'trap "" HUP; echo $$ >deaf.pid
	sleep 1000 & echo $! >child.pid; wait' </dev/null &
cli=$!
wait_for 'alive deaf.pid && alive child.pid' || fail "one-off did not start"
kill -KILL "$cli"
wait_for '! alive deaf.pid && ! alive child.pid' 2 ||
    fail "the one-off outlived its caller"
assert_grep 'run\.1 stopping (SIGHUP, caller gone)' up.log
assert_grep 'run\.1 did not stop within 1.0s: sending SIGKILL' up.log
wait_for '! "$FORMATION" ps | grep -q "^run\."' ||
    fail "the one-off is still listed"

# Signals to the CLI: to the one-off, whose status the CLI returns.
for sig in INT TERM HUP QUIT USR1 USR2; do
	rm -f sig.pid
	"$FORMATION" oneoff -T sh -c "trap 'echo got-$sig; exit 42' $sig
		echo \$\$ >sig.pid; while :; do sleep 0.05; done" >sig.out 2>/dev/null &
	cli=$!
	wait_for 'alive sig.pid' || fail "one-off for $sig did not start"
	kill -"$sig" "$cli"
	wait "$cli"
	assert_eq 42 $? "status after SIG$sig to the CLI"
	assert_eq "got-$sig" "$(cat sig.out)" "what the one-off caught"
done
# Untrapped: the one-off dies of it, the CLI reports 128 + N.
rm -f sig.pid
"$FORMATION" oneoff -T sh -c 'echo $$ >sig.pid; exec sleep 1000' &
cli=$!
wait_for 'alive sig.pid' || fail "one-off did not start"
kill -TERM "$cli"
wait "$cli"
assert_eq 143 $? "status after SIGTERM to the CLI"

# down stops one-offs too: SIGHUP for an attached one, SIGTERM for a
# detached one, and waits for them.
rm -f sig.pid
"$FORMATION" oneoff -T sh -c 'echo $$ >sig.pid; exec sleep 1000' &
cli=$!
wait_for 'alive sig.pid' || fail "one-off did not start"
"$FORMATION" oneoff -d 'exec sleep 1000' >/dev/null
"$FORMATION" down >/dev/null
assert_eq 0 $? "status of down"
wait "$cli"
assert_eq 129 $? "status of an attached one-off at down"
assert_grep 'run\.[0-9]* killed by SIGTERM' up.log
wait "$UP_PID"
UP_PID=""
assert_no_survivors

#!/bin/sh
# logs -f shows every line exactly once, the last ones of a shutdown too:
# what the daemon sends a follower as it exits is sent once, however the
# socket takes it.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: trap 'echo "bye $PS"; exit 0' TERM; while :; do echo "tick $PS"; sleep 0.05; done
P
for try in 1 2 3 4; do
	rm -rf .formation
	start_detached -t 2 -m web=3
	"$FORMATION" logs -f -n 0 >follow.$try 2>follow.err &
	FOLLOW=$!
	# Each has its trap once it ticks: a SIGTERM before would kill it
	# with no last words.
	wait_for "grep -q '| tick web\.1\$' follow.$try &&
	    grep -q '| tick web\.2\$' follow.$try &&
	    grep -q '| tick web\.3\$' follow.$try" 10 ||
		fail "try $try: not every instance followed"
	"$FORMATION" down >/dev/null || fail "try $try: down failed"
	wait_for "! kill -0 $FOLLOW 2>/dev/null" 10 ||
		fail "try $try: logs -f did not end"
	wait "$FOLLOW"
	DAEMON_PID=""
	# Each line is unique (a tick comes at most once in a second per
	# instance, with its time): a line twice was sent twice.
	dup=$(sort follow.$try | uniq -d | grep -v '| tick ' | head -n 3)
	assert_eq "" "$dup" "try $try: lines shown twice"
	for p in web.1 web.2 web.3; do
		assert_eq 1 "$(grep -c "| $p exited with status 0 (the shell's: that of the last command it ran)\$" follow.$try)" \
		    "try $try: the end of $p"
		assert_eq 1 "$(grep -c "| bye $p\$" follow.$try)" \
		    "try $try: the last words of $p"
	done
	# What the log file holds from the down on is what was followed.
	sed -n '/down requested/,$p' .formation/formation.log >log.$try
	sed -n '/down requested/,$p' follow.$try >tail.$try
	cmp -s log.$try tail.$try ||
		fail "try $try: the follower's end differs from the log: $(diff log.$try tail.$try | head -n 10)"
done
assert_no_survivors
exit 0

#!/bin/sh
# logs -f follows what the daemon logs: instances started by a scale up
# are followed, instances scaled down stop appearing, a follower of one
# type sees only it, and following ends (status 0) when the daemon goes.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: while :; do echo "tick $PS"; sleep 0.1; done
worker: while :; do echo "work $PS"; sleep 0.1; done
P
start_detached -t 1 -m web=1,worker=1
"$FORMATION" logs -f -n 0 >follow.out 2>follow.err &
FOLLOW=$!
"$FORMATION" logs -f -n 0 worker >worker.out 2>worker.err &
WFOLLOW=$!
wait_for 'grep -q "| tick web\.1$" follow.out' 5 || fail "no web.1 line followed"
wait_for 'grep -q "| work worker\.1$" worker.out' 5 ||
    fail "no worker.1 line followed"

"$FORMATION" scale web=3 >/dev/null || fail "scale web=3 failed"
wait_for 'grep -q "| tick web\.3$" follow.out' 5 ||
    fail "web.3 not followed: $(tail -n 5 follow.out)"
assert_grep "system *| web\.3 started (pid $(ps_field web.3 pid), /bin/sh running the command)\$" follow.out
wait_for 'grep -q "| tick web\.2$" follow.out' 5 || fail "web.2 not followed"

"$FORMATION" scale web=1 >/dev/null || fail "scale web=1 failed"
wait_for 'grep -q "system *| web\.3 killed by SIGTERM (the shell itself)$" follow.out' 5 ||
    fail "web.3's end not followed: $(tail -n 5 follow.out)"
wait_for 'grep -q "system *| web\.2 killed by SIGTERM (the shell itself)$" follow.out' 5 ||
    fail "web.2's end not followed"
# After its end, web.3 says nothing more, while web.1 goes on.
n=$(grep -c '| tick web\.1$' follow.out)
wait_for '[ $(grep -c "| tick web\.1$" follow.out) -ge $((n + 3)) ]' 5 ||
    fail "web.1 no longer followed"
sed -n '/web\.3 killed by SIGTERM (the shell itself)$/,$p' follow.out >after
assert_no_grep '| tick web\.3$' after

# The worker's follower saw the worker only.
assert_no_grep 'tick web' worker.out
assert_no_grep ' system ' worker.out
assert_grep '| work worker\.1$' worker.out

# -n 0 means nothing from before; lines are in the log format.
head -n 1 follow.out | grep -q '^[0-2][0-9]:[0-5][0-9]:[0-5][0-9] ' ||
    fail "first line: $(head -n 1 follow.out)"
assert_no_grep "system *| formation v1 in " follow.out
assert_eq "" "$(cat follow.err)" "follower's stderr"

"$FORMATION" down >/dev/null || fail "down failed"
wait_for "! kill -0 $FOLLOW 2>/dev/null" 5 || fail "logs -f did not end"
wait "$FOLLOW"
assert_eq 0 $? "logs -f status"
wait "$WFOLLOW"
assert_eq 0 $? "logs -f worker status"
assert_grep 'system *| down requested' follow.out
assert_no_survivors
exit 0

#!/bin/sh
# scale changes counts live: new instances start, extra ones stop, and the
# instances that stay are not restarted (their pids do not change).
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: exec sleep 600
worker: exec sleep 601
P
start_detached -t 1 -m web=2,worker=1
names() { ps_json '" ".join(sorted(p))'; }
running() { ps_json '" ".join(sorted(n for n in p if p[n]["state"] == "running"))'; }

web1=$(ps_field web.1 pid)
web2=$(ps_field web.2 pid)
worker1=$(ps_field worker.1 pid)
assert_eq web.1 "$(env_of "$web1" PS)" "PS of web.1's pid"

"$FORMATION" scale web=4 >out 2>err
assert_eq 0 $? "scale web=4 status"
assert_eq "scaled web=4" "$(cat out)" "scale web=4 output"
wait_for '[ "$(running)" = "web.1 web.2 web.3 web.4 worker.1" ]' 5 ||
    fail "after web=4: $(cat "$T/ps.json")"
assert_eq "$web1 $web2 $worker1" \
    "$(ps_field web.1 pid) $(ps_field web.2 pid) $(ps_field worker.1 pid)" \
    "pids of the kept instances"
for n in 3 4; do
	pid=$(ps_field web.$n pid)
	assert_eq web.$n "$(env_of "$pid" PS)" "PS of web.$n's pid"
	assert_eq $((5000 + n - 1)) "$(env_of "$pid" PORT)" "PORT of web.$n"
done
web4=$(ps_field web.4 pid)

# Down to one: web.2 to web.4 stop and leave ps; web.1 is untouched.
"$FORMATION" scale web=1 >out 2>err
assert_eq 0 $? "scale web=1 status"
wait_for '[ "$(names)" = "web.1 worker.1" ]' 5 ||
    fail "after web=1: $(cat "$T/ps.json")"
for pid in $web2 $web4; do
	wait_for "! alive $pid" 3 || fail "pid $pid survived scale web=1"
done
assert_eq "$web1 $worker1" "$(ps_field web.1 pid) $(ps_field worker.1 pid)" \
    "pids after scaling down"

# Several at once, and to zero.
"$FORMATION" scale web=2 worker=0 >out 2>err
assert_eq 0 $? "scale web=2 worker=0 status"
wait_for '[ "$(names)" = "web.1 web.2" ]' 5 ||
    fail "after web=2 worker=0: $(cat "$T/ps.json")"
wait_for "! alive $worker1" 3 || fail "worker.1 survived worker=0"
assert_eq "$web1" "$(ps_field web.1 pid)" "web.1 after worker=0"
wait_for '[ "$(running)" = "web.1 web.2" ]' 5 || fail "web.2 not running"

# all=N sets every type.
"$FORMATION" scale all=2 >out 2>err
assert_eq 0 $? "scale all=2 status"
wait_for '[ "$(running)" = "web.1 web.2 worker.1 worker.2" ]' 5 ||
    fail "after all=2: $(cat "$T/ps.json")"
assert_eq "$web1" "$(ps_field web.1 pid)" "web.1 after all=2"
# A type named beside all keeps its own count, wherever it is written.
"$FORMATION" scale web=3 all=1 >out 2>err
assert_eq 0 $? "scale web=3 all=1 status"
wait_for '[ "$(names)" = "web.1 web.2 web.3 worker.1" ]' 5 ||
    fail "after web=3 all=1: $(cat "$T/ps.json")"
"$FORMATION" scale all=2 >out 2>err
wait_for '[ "$(running)" = "web.1 web.2 worker.1 worker.2" ]' 5 ||
    fail "after all=2 again: $(cat "$T/ps.json")"

# Errors: an unknown type is the daemon's refusal (1), bad syntax is ours.
"$FORMATION" scale nope=2 >out 2>err
assert_eq 1 $? "scale nope=2 status"
assert_grep "^formation: .*'nope'" err
assert_eq 1 "$(wc -l <err | tr -d ' ')" "lines of the error"
"$FORMATION" scale web >out 2>err
assert_eq 2 $? "scale web status"
assert_grep "^formation: bad scale 'web'" err
"$FORMATION" scale >out 2>err
assert_eq 2 $? "scale status"
assert_grep '^usage: formation scale TYPE=N' err
"$FORMATION" scale web=-1 >out 2>err
assert_eq 2 $? "scale web=-1 status"
assert_eq "web.1 web.2 worker.1 worker.2" "$(names)" "after the errors"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

#!/bin/sh
# stop TARGET: the processes stop and stay stopped (state "stopped", no
# pid, no restart); start TARGET runs them again, and so does a scale
# that counts them.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: exec sleep 600
worker: exec sleep 601
P
start_detached -t 1 -m web=2,worker=1
states() { ps_json '" ".join(n + "=" + p[n]["state"] for n in sorted(p))'; }
web1=$(ps_field web.1 pid)
web2=$(ps_field web.2 pid)
worker1=$(ps_field worker.1 pid)

"$FORMATION" stop web.2 >out 2>err
assert_eq 0 $? "stop web.2 status"
assert_eq "stopping 1 process" "$(cat out)" "stop web.2 output"
wait_for "! alive $web2" 5 || fail "web.2 (pid $web2) still runs"
wait_for '[ "$(ps_field web.2 state)" = stopped ]' 5 ||
    fail "web.2 not stopped: $(cat "$T/ps.json")"
assert_eq None "$(ps_field web.2 pid)" "pid of stopped web.2"
# It stays stopped: a restart would be immediate, so a second is ample.
! wait_for '[ "$(ps_field web.2 state)" != stopped ]' 1 ||
    fail "web.2 did not stay stopped: $(cat "$T/ps.json")"
assert_eq "$web1 $worker1" "$(ps_field web.1 pid) $(ps_field worker.1 pid)" \
    "pids of the others"
"$FORMATION" ps >ps.out || fail "ps failed"
assert_grep '^web\.2  *stopped  *-  *-  ' ps.out

# A scale counts the stopped instances in: they run again.
"$FORMATION" scale web=3 >/dev/null || fail "scale web=3 failed"
wait_for '[ "$(states)" = "web.1=running web.2=running web.3=running worker.1=running" ]' 5 ||
    fail "after scale web=3: $(states)"

# A type: every instance of it.
"$FORMATION" stop web >out 2>err
assert_eq 0 $? "stop web status"
wait_for '[ "$(states)" = "web.1=stopped web.2=stopped web.3=stopped worker.1=running" ]' 5 ||
    fail "after stop web: $(states)"
wait_for "! alive $web1" 3 || fail "web.1 still runs"

# start an instance: only that one.
"$FORMATION" start web.2 >out 2>err
assert_eq 0 $? "start web.2 status"
assert_eq "starting 1 process" "$(cat out)" "start web.2 output"
wait_for '[ "$(states)" = "web.1=stopped web.2=running web.3=stopped worker.1=running" ]' 5 ||
    fail "after start web.2: $(states)"
pid=$(ps_field web.2 pid)
assert_eq web.2 "$(env_of "$pid" PS)" "PS of the new web.2"

"$FORMATION" start web >out 2>err
assert_eq 0 $? "start web status"
wait_for '[ "$(states)" = "web.1=running web.2=running web.3=running worker.1=running" ]' 5 ||
    fail "after start web: $(states)"
assert_eq "$pid" "$(ps_field web.2 pid)" "web.2 was running: untouched"

# start TYPE of a type scaled to zero runs one.
"$FORMATION" scale worker=0 >/dev/null || fail "scale worker=0 failed"
wait_for '[ "$(ps_field worker.1 state)" = None ]' 5 || fail "worker.1 stays"
"$FORMATION" start worker >out 2>err
assert_eq 0 $? "start worker status"
wait_for '[ "$(ps_field worker.1 state)" = running ]' 5 ||
    fail "start worker: $(states)"

# Errors.
"$FORMATION" stop >out 2>err
assert_eq 2 $? "stop status"
assert_grep '^usage: formation stop TARGET ...$' err
"$FORMATION" start >out 2>err
assert_eq 2 $? "start status"
assert_grep '^usage: formation start TARGET ...$' err
"$FORMATION" stop nope >out 2>err
assert_eq 1 $? "stop nope status"
assert_grep "^formation: no such process 'nope' (processes: " err

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

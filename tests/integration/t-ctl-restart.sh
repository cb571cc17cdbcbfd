#!/bin/sh
# restart of an instance, of a type, and of everything: exactly the
# processes named get new pids; the others keep theirs.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: exec sleep 600
worker: exec sleep 601
P
start_detached -t 1 -m web=2,worker=1
pids() { ps_json '" ".join(str(p[n]["pid"]) for n in sorted(p))'; }
all_running() {
	[ "$(ps_json 'all(x["state"] == "running" for x in d["processes"])')" \
	    = True ]
}

# Each restarted process is a new pid, running the same instance.
restarted() {	# name old-pid
	_p=$(ps_field "$1" pid)
	[ "$_p" != "$2" ] && [ "$_p" != None ] && alive "$_p" &&
	    [ "$(env_of "$_p" PS)" = "$1" ] && ! alive "$2"
}

set -- $(pids)
web1=$1 web2=$2 worker1=$3
"$FORMATION" restart web.2 >out 2>err
assert_eq 0 $? "restart web.2 status"
assert_eq "restarting 1 process" "$(cat out)" "restart web.2 output"
wait_for "restarted web.2 $web2" 5 || fail "web.2 not restarted: $(pids)"
wait_for all_running 5 || fail "not all running: $(cat "$T/ps.json")"
assert_eq "$web1 $worker1" "$(ps_field web.1 pid) $(ps_field worker.1 pid)" \
    "pids of what was not restarted"
web2=$(ps_field web.2 pid)

"$FORMATION" restart web >out 2>err
assert_eq 0 $? "restart web status"
assert_eq "restarting 2 processes" "$(cat out)" "restart web output"
wait_for "restarted web.1 $web1 && restarted web.2 $web2" 5 ||
    fail "web not restarted: $(pids)"
assert_eq "$worker1" "$(ps_field worker.1 pid)" "worker.1 after restart web"

set -- $(pids)
web1=$1 web2=$2
"$FORMATION" restart >out 2>err
assert_eq 0 $? "restart status"
assert_eq "restarting 3 processes" "$(cat out)" "restart output"
wait_for "restarted web.1 $web1 && restarted web.2 $web2 &&
    restarted worker.1 $worker1" 5 || fail "not all restarted: $(pids)"
wait_for all_running 5 || fail "not all running: $(cat "$T/ps.json")"

# Several targets, and an unknown one: nothing is restarted then.
set -- $(pids)
"$FORMATION" restart worker web.9 >out 2>err
assert_eq 1 $? "restart web.9 status"
assert_eq "formation: no such process 'web.9' (processes: web.1, web.2, worker.1)" \
    "$(cat err)" "restart web.9 error"
assert_eq "" "$(cat out)" "restart web.9 output"
assert_eq "$*" "$(pids)" "pids after a refused restart"
"$FORMATION" restart -x >out 2>err
assert_eq 2 $? "restart -x status"
assert_grep '^usage: formation restart \[--all-at-once\] \[TARGET ...\]$' err

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

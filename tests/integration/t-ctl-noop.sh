#!/bin/sh
# A request that has nothing to do says so: start of a running process
# is "already running" (status 0), stop of a stopped one "already
# stopped" (0), a target with no process behind it "no such process"
# (1), and a one-off is never restarted (1). run names every one-off, for
# stop as for logs.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: exec sleep 600
worker: exec sleep 601
slow: trap '' TERM; exec sleep 602
P
cat >formation.ini <<'I'
[process.slow]
timeout = 5
I
start_detached -t 1 -m web=2,worker=0,slow=0
web1=$(ps_field web.1 pid)

# expect STATUS STDOUT STDERR ARGS...: the reply to formation ARGS.
expect() {
	_st=$1 _out=$2 _err=$3
	shift 3
	"$FORMATION" "$@" >out 2>err
	assert_eq "$_st" $? "status of $*"
	assert_eq "$_out" "$(cat out)" "output of $*"
	assert_eq "$_err" "$(cat err)" "error of $*"
}

expect 0 "web.1 is already running" "" start web.1
expect 0 "web.1, web.2 are already running" "" start web
assert_eq "$web1" "$(ps_field web.1 pid)" "web.1 after start web.1"

expect 1 "" "formation: no such process: 'worker' has no instance (scale worker=N to run some)" \
    stop worker
expect 1 "" "formation: no such process: 'worker' has no instance (scale worker=N to run some)" \
    restart worker
expect 1 "" "formation: no such process: no one-off is running" stop run
expect 1 "" "formation: no such process 'run.111' (processes: web.1, web.2)" \
    restart run.111
# An instance on its way out after a scale down is no process to act on.
"$FORMATION" scale slow=1 >/dev/null || fail "scale slow=1"
# Its trap is set once the shell has become the sleep.
wait_for '[ "$(cat /proc/$(ps_field slow.1 pid)/comm 2>/dev/null)" = sleep ]' 5 ||
    fail "slow.1 does not run its sleep"
"$FORMATION" scale slow=0 >/dev/null || fail "scale slow=0"
expect 1 "" "formation: no such process: slow.1 is going away (scaled down)" \
    start slow.1
"$FORMATION" kill -s KILL slow.1 >/dev/null 2>&1
wait_for '[ "$(ps_field slow.1 state)" = None ]' 5 || fail "slow.1 stays"
# Nothing was done by any of them.
assert_eq "web.1=running web.2=running" \
    "$(ps_json '" ".join(n + "=" + p[n]["state"] for n in sorted(p))')" \
    "states after the no-ops"

expect 0 "stopping 1 process" "" stop web.2
wait_for '[ "$(ps_field web.2 state)" = stopped ]' 5 || fail "web.2 runs"
expect 0 "web.2 is already stopped" "" stop web.2
expect 0 "stopping 1 process (web.2 is already stopped)" "" stop web
wait_for '[ "$(ps_field web.1 state)" = stopped ]' 5 || fail "web.1 runs"
expect 0 "starting 2 processes" "" start web
wait_for '[ "$(ps_field web.1 state) $(ps_field web.2 state)" = "running running" ]' 5 ||
    fail "start web: $(cat "$T/ps.json")"

# One-offs: run is all of them, for stop as for logs.
"$FORMATION" oneoff -d 'echo oneoff-line; exec sleep 300' >out 2>err ||
    fail "oneoff -d: $(cat err)"
assert_eq run.1 "$(cat out)" "oneoff -d output"
wait_for '"$FORMATION" logs run 2>/dev/null | grep -q "run\.1 *| oneoff-line"' 5 ||
    fail "logs run does not show run.1: $("$FORMATION" logs run 2>&1)"
run1=$(ps_field run.1 pid)
expect 0 "run.1 is already running" "" start run.1
expect 1 "" "formation: run.1 is a one-off: one-offs are never restarted" \
    restart run.1
expect 1 "" "formation: run.1 is a one-off: one-offs are never restarted" \
    restart web run
assert_eq "$run1" "$(ps_field run.1 pid)" "run.1 after the refused restarts"
expect 0 "stopping 1 process" "" stop run
wait_for "! alive $run1" 5 || fail "stop run left run.1 (pid $run1) running"
wait_for '[ "$(ps_field run.1 state)" = None ]' 5 || fail "run.1 stays in ps"
"$FORMATION" logs run >logs.out 2>err || fail "logs run: $(cat err)"
assert_grep 'run\.1 *| oneoff-line' logs.out
expect 1 "" "formation: no such process: no one-off is running" stop run

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

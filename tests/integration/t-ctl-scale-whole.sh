#!/bin/sh
# scale is all or nothing: a request with one bad part changes no count
# and starts or stops nothing. A scale starts the instances within the
# count that stop stopped. A type name of any length is found by its
# type and number: scaling it again starts no second instance.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

long=$(python3 -c 'print("l" * 600)')
cat >Procfile <<P
web: exec sleep 600
worker: exec sleep 601
$long: exec sleep 602
P
start_detached -t 1 -m web=1,worker=1,$long=1
names() { ps_json '" ".join(sorted(p))'; }
states() { ps_json '" ".join(n + "=" + p[n]["state"] for n in sorted(p) if len(n) < 20)'; }
web1=$(ps_field web.1 pid)

# One unknown type: nothing is scaled, and the reply says so.
"$FORMATION" scale web=3 nope=1 >out 2>err1
assert_eq 1 $? "scale web=3 nope=1 status"
# Two good parts, one to zero, before the bad one: the same.
"$FORMATION" scale worker=0 web=2 zzz=1 >out 2>err2
assert_eq 1 $? "scale worker=0 web=2 zzz=1 status"
# Had anything started or stopped, ps would show it at once: the start
# of an instance and the stop of one are both done before the reply.
assert_eq "web.1=running worker.1=running" "$(states)" \
    "states after the refused requests"
assert_eq "$web1" "$(ps_field web.1 pid)" "web.1 after the refused requests"
[ "$(ps_json 'p["'$long'.1"]["state"]')" = running ] ||
    fail "$long.1 is not running"
assert_eq "formation: unknown process type 'nope'; nothing was scaled" \
    "$(cat err1)" "scale web=3 nope=1 error"
assert_eq "formation: unknown process type 'zzz'; nothing was scaled" \
    "$(cat err2)" "scale worker=0 web=2 zzz=1 error"

# The long name: scaling it to the count it has is no change, and to 2
# starts the second, once.
for i in 1 2 3; do
	"$FORMATION" scale "$long=1" >/dev/null 2>err ||
	    fail "scale LONG=1: $(cat err)"
done
assert_eq "1" "$(ps_json 'len([n for n in p if n.startswith("l")])')" \
    "instances of the long type after three scales to 1"
"$FORMATION" scale "$long=2" >/dev/null 2>err || fail "scale LONG=2: $(cat err)"
"$FORMATION" scale "$long=2" >/dev/null 2>err || fail "scale LONG=2: $(cat err)"
wait_for "[ \"\$(ps_json 'sorted(n[-2:] + \"=\" + p[n][\"state\"] for n in p if n.startswith(\"l\"))')\" = \"['.1=running', '.2=running']\" ]" 5 ||
    fail "the long type after scale to 2: $(cat "$T/ps.json" | cut -c 1-300)"

# stop web, then scale web=3: three run.
"$FORMATION" stop web >/dev/null 2>err || fail "stop web: $(cat err)"
wait_for '[ "$(ps_field web.1 state)" = stopped ]' 5 ||
    fail "web.1 not stopped: $(states)"
"$FORMATION" scale web=3 >out 2>err
assert_eq 0 $? "scale web=3 status"
assert_eq "scaled web=3" "$(cat out)" "scale web=3 output"
wait_for '[ "$(states)" = "web.1=running web.2=running web.3=running worker.1=running" ]' 5 ||
    fail "after stop web, scale web=3: $(states)"
[ "$(ps_field web.1 pid)" != "$web1" ] || fail "web.1 kept its old pid"
# all=N wakes a stopped instance too.
"$FORMATION" stop web.2 >/dev/null 2>err || fail "stop web.2: $(cat err)"
wait_for '[ "$(ps_field web.2 state)" = stopped ]' 5 || fail "web.2 runs"
"$FORMATION" scale all=3 >/dev/null 2>err || fail "scale all=3: $(cat err)"
wait_for '[ "$(states)" = "web.1=running web.2=running web.3=running worker.1=running worker.2=running worker.3=running" ]' 5 ||
    fail "after stop web.2, scale all=3: $(states)"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

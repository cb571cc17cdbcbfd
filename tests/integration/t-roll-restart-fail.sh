#!/bin/sh
# A rolling restart whose restarted instance is not ready in time stops the
# roll, the instances not reached running on, and restart answers only then:
# exit 1, naming the instance, why, and its last lines. A roll that
# passes answers 0, once every instance is ready again.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 4) || skip "no free port"

cat >Procfile <<P
web: echo "booting on \$PORT"; exec python3 $TESTS_TOP/tests/integration/readysrv.py tcp
P
cat >formation.ini <<'I'
[process.web]
ready = tcp
ready_timeout = 1
I
touch go
start_detached -p "$base" -m web=2
wait_for '[ "$(ps_field web.2 state)" = running ]' || fail "web.2 not running"
old1=$(ps_field web.1 pid)
old2=$(ps_field web.2 pid)

# Passed: the answer comes once web.2's replacement is ready.
"$FORMATION" restart web >out 2>err
assert_eq 0 $? "restart status: $(cat err)"
assert_eq "restarting 2 processes" "$(cat out)" "restart web"
assert_eq "running running" "$(ps_field web.1 state) $(ps_field web.2 state)" \
    "states when restart returned"
assert_grep "web\.2 ready (tcp :" .formation/formation.log
old1=$(ps_field web.1 pid)
old2=$(ps_field web.2 pid)

# Failed: the new web.1 never listens.
rm go
mark=$(($(wc -l <.formation/formation.log) + 1))
"$FORMATION" restart web >out 2>err
assert_eq 1 $? "restart status with web.1 not ready: $(cat out)"
head -n 1 err >first
case $(cat first) in
"formation: restart failed: web.1 was not ready: not ready within 1s (tcp :"*")")
	;;
*) fail "restart said: $(cat err)" ;;
esac
grep -q '^web\.1 | booting on [0-9]' err ||
    fail "no last lines of web.1 in: $(cat err)"
assert_eq "" "$(cat out)" "restart stdout"
# The new web.1, started beside the old one (a ready check: overlap),
# failed and is gone; the old web.1 and web.2, not reached, run on
# untouched.
# (Counted in processes: by name, the new web.1 and the old are one.)
wait_for '[ "$(ps_json "len(d[\"processes\"])")" = 2 ]' ||
    fail "the new web.1 stayed"
assert_eq "$old1 running" "$(ps_field web.1 pid) $(ps_field web.1 state)" \
    "web.1 after the failed roll"
assert_eq "$old2 running" "$(ps_field web.2 pid) $(ps_field web.2 state)" \
    "web.2 after the failed roll"
sed -n "$mark,\$p" .formation/formation.log >since
assert_no_grep "web\.2 stopping" since
assert_no_grep "stopping (SIGTERM, replaced" since
assert_grep "roll stopped: web\.1 was not ready" .formation/formation.log
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

#!/bin/sh
# ready_timeout: not ready in time, an instance is stopped, the start
# counts as failed (restart = never: failed, with why in ps and the log);
# up -d waits for every checked process, and fails naming those that
# were not ready, leaving the daemon up.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 101) || skip "no free port"

cat >Procfile <<P
web: exec python3 $TESTS_TOP/tests/integration/readysrv.py tcp never
api: exec python3 $TESTS_TOP/tests/integration/readysrv.py tcp
P
cat >formation.ini <<'I'
[process.web]
ready = tcp
ready_timeout = 0.5
restart = never
[process.api]
ready = tcp
I
# api is ready only once the file go exists: up -d is still waiting.
"$FORMATION" up -d -p "$base" >up-d.out 2>up-d.err &
updpid=$!
wait_for '[ "$(ps_field web.1 state 2>/dev/null)" = failed ]' ||
    fail "web.1 did not fail its readiness"
kill -0 $updpid 2>/dev/null || fail "up -d returned before api.1 was ready"
assert_eq starting "$(ps_field api.1 state)" "api.1 without go"
touch go
wait "$updpid"
assert_eq 1 $? "up -d status with web.1 not ready"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)), not ready.*/\1/p' \
    up-d.out)
[ -n "$DAEMON_PID" ] || fail "up -d said: $(cat up-d.out)"
assert_eq "formation: not ready: web.1 (not ready within 0.5s (tcp :$base))" \
    "$(cat up-d.err)" "up -d error"
assert_eq running "$(ps_field api.1 state)" "api.1"
assert_grep "web\.1 stopping (SIGTERM, not ready within 0\.5s (tcp :$base))" \
    .formation/formation.log
assert_grep "web\.1 failed to start: not ready within 0\.5s (tcp :$base)" \
    .formation/formation.log
assert_eq 1 "$(grep -c 'web\.1 started' .formation/formation.log)" \
    "starts of web.1 (restart = never)"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

# All ready: up -d returns 0 only once they are.
rm -f go
cat >formation.ini <<'I'
[process.api]
ready = tcp
I
printf 'api: exec python3 %s/tests/integration/readysrv.py tcp\n' \
    "$TESTS_TOP" >Procfile
"$FORMATION" up -d -p "$base" >up-d.out 2>up-d.err &
updpid=$!
wait_for '[ "$(ps_field api.1 state 2>/dev/null)" = starting ]' ||
    fail "api.1 is not starting"
kill -0 $updpid 2>/dev/null || fail "up -d returned before api.1 was ready"
touch go
wait "$updpid"
assert_eq 0 $? "up -d status: $(cat up-d.err)"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' up-d.out)
assert_eq running "$(ps_field api.1 state)" "api.1 once up -d returned"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

# formation kill [-s SIGNAL] TARGET...: the signal goes to the process
# group of each live target (a type, an instance, run.N; by name or
# number), what formation wants of it is unchanged (one that dies of it
# is restarted by its policy), ps and --json show it; a target that is
# no process, or nothing alive to signal, is an error listing them.
. "$TESTS_TOP/tests/integration/lib.sh"

# web: a server that reloads on HUP, as gunicorn does, and whose child
# in the same group must get the signal too. worker dies of TERM.
cat >Procfile <<'PROCFILE'
web: sh -c 'trap "echo child-usr1" USR1; trap "" HUP; echo trapped; while :; do sleep 0.05; done' & trap 'echo reload-on-hup' HUP; trap 'echo parent-usr1' USR1; echo trapped; while :; do sleep 0.05; done
worker: exec sleep 1000
PROCFILE
start_up -t 2 -m web=2,worker=1
wait_for '[ "$(up_count "| trapped")" -ge 4 ]' || fail "not up"
w1=$(ps_field web.1 pid)
w2=$(ps_field web.2 pid)

"$FORMATION" kill -s HUP web >out 2>&1
assert_eq 0 $? "status of kill -s HUP web"
assert_eq "sent SIGHUP to web.1, web.2" "$(cat out)" "reply"
wait_for '[ "$(grep -c "reload-on-hup" up.log)" -eq 2 ]' ||
    fail "web did not get HUP twice"
assert_eq "$w1 $w2" "$(ps_field web.1 pid) $(ps_field web.2 pid)" \
    "pids after HUP"
assert_eq "SIGHUP 1" "$(ps_json "p['web.1']['last_signal']['signal'], p['web.1']['last_signal']['number']" | tr -d "(),'")" \
    "last_signal in ps --json"
assert_eq None "$(ps_json "p['worker.1']['last_signal']")" \
    "last_signal of worker.1"
"$FORMATION" ps >ps.txt
assert_grep '^NAME .* SIGNAL  *COMMAND$' ps.txt
assert_grep '^web\.1 .* SIGHUP [0-9]*s ago ' ps.txt

# The whole group: the child of web.1 gets it too (by number, -N form).
"$FORMATION" kill -10 web.1 >/dev/null || fail "kill -10 web.1"
wait_for 'grep -q "web.1 *| child-usr1" up.log' ||
    fail "the child in web.1's group did not get USR1"
wait_for 'grep -q "web.1 *| parent-usr1" up.log' ||
    fail "web.1 did not get USR1"
assert_no_grep 'web.2 *| child-usr1' up.log

# Killed, and restarted by its policy: the want is unchanged.
wk=$(ps_field worker.1 pid)
"$FORMATION" kill worker >/dev/null || fail "kill worker"
wait_for '[ "$(ps_field worker.1 restarts)" = 1 ] &&
    [ "$(ps_field worker.1 state)" = running ]' ||
    fail "worker.1 not restarted: $(ps_field worker.1 state)"
[ "$(ps_field worker.1 pid)" != "$wk" ] || fail "worker.1 kept its pid"
assert_grep 'SIGTERM sent to worker.1 (kill requested)' up.log
assert_grep 'worker.1 killed by SIGTERM' up.log
assert_eq SIGTERM "$(ps_json "p['worker.1']['last_signal']['signal']")" \
    "default signal"

# A one-off, by its name.
name=$("$FORMATION" oneoff -d 'trap "echo oneoff-usr2" USR2; echo trapped; while :; do sleep 0.05; done')
wait_for "grep -q '$name *| trapped' up.log" || fail "$name did not start"
"$FORMATION" kill -s SIGUSR2 "$name" >/dev/null || fail "kill $name"
wait_for "grep -q '$name *| oneoff-usr2' up.log" || fail "$name: no USR2"
"$FORMATION" kill -s KILL "$name" >/dev/null
wait_for "grep -q '$name killed by SIGKILL' up.log" || fail "$name lives"

# Nothing to signal: an unknown target, or one with nothing alive.
"$FORMATION" kill nosuch 2>err
assert_eq 1 $? "status of kill nosuch"
assert_grep "^formation: no such process 'nosuch' (processes: web.1, web.2, worker.1)$" err
"$FORMATION" stop worker >/dev/null
wait_for '[ "$(ps_field worker.1 state)" = stopped ]' || fail "not stopped"
"$FORMATION" kill -s HUP worker 2>err
assert_eq 1 $? "status of kill of nothing alive"
assert_grep "^formation: no process to send SIGHUP to (processes: web.1 running, web.2 running, worker.1 stopped)$" err
assert_eq stopped "$(ps_field worker.1 state)" "worker.1 after kill"

# Usage errors.
"$FORMATION" kill 2>err
assert_eq 2 $? "status of kill without a target"
"$FORMATION" kill -s NOPE web 2>err
assert_eq 2 $? "status of a bad signal"
assert_grep "^formation: bad signal 'NOPE'" err

stop_up
assert_no_survivors

# oneoff -d: the CLI prints run.N and exits 0; the one-off's output goes
# to the daemon's log as run.N (and stays in formation logs after it
# ends); ps lists it as run.N of type run while it lives; stop ends it.
. "$TESTS_TOP/tests/integration/lib.sh"

echo 'web: exec sleep 1000' >Procfile
start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

name=$("$FORMATION" oneoff -d 'echo hello-detached; exec sleep 1000')
assert_eq 0 $? "status of oneoff -d"
echo "$name" | grep -qx 'run\.[0-9][0-9]*' || fail "printed '$name'"

wait_for '"$FORMATION" logs "$name" | grep -q "$name *| hello-detached"' ||
    fail "the output is not in formation logs"
assert_grep "$name *| hello-detached" up.log
"$FORMATION" ps --json >ps.json
grep -q "{\"name\": \"$name\", \"type\": \"run\", \"pid\": [1-9][0-9]*, \"state\": \"running\", \"port\": null" ps.json ||
    fail "ps does not list $name: $(cat ps.json)"
"$FORMATION" ps | grep -q "^$name  *running " || fail "ps: no $name"

"$FORMATION" stop "$name" >/dev/null
assert_eq 0 $? "status of stop $name"
wait_for '! "$FORMATION" ps | grep -q "^$name "' ||
    fail "$name still listed after stop"
assert_grep "$name stopping (SIGTERM, stop requested)" up.log
assert_grep "$name killed by SIGTERM" up.log
"$FORMATION" logs "$name" | grep -q "$name *| hello-detached" ||
    fail "the output left formation logs with $name"
"$FORMATION" logs run | grep -q "$name *| hello-detached" ||
    fail "formation logs run: no $name"

# Never restarted, not even when asked.
name=$("$FORMATION" oneoff -d 'exec sleep 1000')
wait_for '"$FORMATION" ps | grep -q "^$name  *running "' ||
    fail "$name did not start"
pid=$("$FORMATION" ps | awk -v n="$name" '$1 == n { print $3 }')
"$FORMATION" restart "$name" >/dev/null
"$FORMATION" restart >/dev/null
"$FORMATION" start "$name" >/dev/null
assert_eq "$pid" "$("$FORMATION" ps | awk -v n="$name" '$1 == n { print $3 }')" \
    "pid of $name after restart"
assert_no_grep "$name stopping" up.log

stop_up
assert_no_survivors

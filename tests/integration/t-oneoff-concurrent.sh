# 100 one-offs at once, each from its own CLI: each CLI returns its own
# one-off's status.
. "$TESTS_TOP/tests/integration/lib.sh"

echo 'web: exec sleep 1000' >Procfile
start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

mkdir rc
i=0
pids=""
while [ $i -lt 100 ]; do
	( "$FORMATION" oneoff -T sh -c "sleep 0.2; exit $i"
	    echo $? >"rc/$i" ) &
	pids="$pids $!"
	i=$((i + 1))
done
for p in $pids; do wait "$p"; done
i=0
bad=""
while [ $i -lt 100 ]; do
	got=$(cat "rc/$i" 2>/dev/null)
	[ "$got" = "$i" ] || bad="$bad $i:$got"
	i=$((i + 1))
done
[ -z "$bad" ] || fail "wrong statuses (expected:got):$bad"
assert_eq 100 "$(grep -c 'run\.[0-9]* started' up.log)" "one-offs started"
wait_for '! "$FORMATION" ps | grep -q "^run\."' || fail "one-offs left in ps"

stop_up
assert_no_survivors

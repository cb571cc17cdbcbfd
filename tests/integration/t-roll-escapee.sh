#!/bin/sh
# In a roll with overlap, the old and the new instance have one name and
# one PS: what the old one left outside its group goes with it, what the
# new one left stays with the new one.
. "$(dirname "$0")/lib.sh"
command -v setsid >/dev/null || skip "no setsid"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 2) || skip "no free port"

# Each run leaves an escapee that writes its pid to esc.GEN.
cat >Procfile <<P
web: setsid sh -c 'echo \$\$ >esc.\$GEN; exec sleep 1000' & exec python3 $TESTS_TOP/tests/integration/readysrv.py tcp
P
printf '[process.web]\nready = tcp\n' >formation.ini
echo GEN=0 >.env
touch go
start_detached -p "$base"
wait_for '[ -s esc.0 ] && [ "$(ps_field web.1 state)" = running ]' ||
    fail "web.1 or its escapee did not start"
e0=$(cat esc.0)
alive "$e0" || fail "the first escapee is not alive"

echo GEN=1 >.env
"$FORMATION" reload >out 2>err || fail "reload: $(cat err)"
assert_grep "web\.1 starting beside pid" .formation/formation.log
wait_for '[ -s esc.1 ]' || fail "the new web.1 left no escapee"
e1=$(cat esc.1)
wait_for "! alive $e0" 10 || fail "the old web.1's escapee (pid $e0) outlived it"
# The old one's end was looked at: give the look a moment, then the new
# one's escapee must still be there.
wait_for 'grep -q "web\.1 left 1 process outside its group: SIG[A-Z]* to pid $e0" .formation/formation.log' 10 ||
    fail "no line for the old escapee"
alive "$e1" || fail "the new web.1's escapee (pid $e1) was killed with the old web.1"
assert_no_grep "to pid $e1" .formation/formation.log
"$FORMATION" down >/dev/null || fail "down failed"
wait_for "! alive $e1" 10 || fail "the new escapee outlived down"
assert_no_survivors

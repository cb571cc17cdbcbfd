#!/bin/sh
# A descendant that left its instance's process group (setsid) goes with
# the instance: at a restart, a stop and an exit of its own, it is sent
# the stop signal with the group and SIGKILL once the instance is gone.
# Those of other instances, and of the new instance, are left alone.
. "$(dirname "$0")/lib.sh"
command -v setsid >/dev/null || skip "no setsid"
command -v python3 >/dev/null || skip "no python3"

# Three escapees an instance: one that dies of SIGTERM, one deeper down
# (the child of an escaped shell) that ignores it, and their shell.
cat >Procfile <<'P'
web: setsid sleep 1000 & setsid sh -c 'trap "" TERM; sleep 1001 & wait' & exec sleep 600
crash: setsid sleep 1002 & sleep 1; exit 3
P
start_detached -t 1 -m web=2,crash=1
log=.formation/formation.log

# escapees NAME: the pids of the sleeps that NAME's command left, sorted.
escapees() {
	for p in $(survivors); do
		[ "$(env_of "$p" PS)" = "$1" ] || continue
		case $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) in
		"sleep 100"[0-2]" ") echo "$p" ;;
		esac
	done | sort -n | tr '\n' ' '
}
count() { set -- $1; echo $#; }

wait_for '[ "$(count "$(escapees web.1)")" -eq 2 ] && [ "$(count "$(escapees web.2)")" -eq 2 ]' 5 ||
    fail "escapees not up: web.1 $(escapees web.1), web.2 $(escapees web.2)"
old1=$(escapees web.1)
old2=$(escapees web.2)
for p in $old1; do
	[ "$(ps -o sid= -p "$p" | tr -d ' ')" != "$(ps_field web.1 pid)" ] ||
	    fail "pid $p did not leave web.1's session"
done

"$FORMATION" restart web.1 >/dev/null 2>err || fail "restart web.1: $(cat err)"
for p in $old1; do
	wait_for "! alive $p" 5 ||
	    fail "escapee pid $p of web.1 outlived its restart"
done
assert_grep "system *| web\.1 left [0-9]* process[es]* outside its group: SIGTERM to pid " "$log"
# The two that ignore SIGTERM, and the one that dies of it if it is not
# gone yet.
assert_grep "system *| web\.1 left [23] processes outside its group: SIGKILL to pid " "$log"
# The new web.1 has its own, and web.2 keeps its.
wait_for '[ "$(count "$(escapees web.1)")" -eq 2 ]' 5 ||
    fail "the new web.1 has no escapees: $(escapees web.1)"
new1=$(escapees web.1)
for p in $new1; do
	case " $old1 " in *" $p "*) fail "pid $p of the old web.1 lives" ;; esac
done
assert_eq "$old2" "$(escapees web.2)" "web.2's escapees after restart web.1"

# stop: they go, and nothing comes back.
"$FORMATION" stop web.2 >/dev/null 2>err || fail "stop web.2: $(cat err)"
for p in $old2; do
	wait_for "! alive $p" 5 || fail "escapee pid $p outlived stop web.2"
done
assert_eq "$new1" "$(escapees web.1)" "web.1's escapees after stop web.2"

# An instance that exits of itself, restarted each time: one escapee at
# a time, not one more per run.
wait_for '[ "$(grep -c "system *| crash\.1 started (pid" "$log")" -ge 3 ]' 15 ||
    fail "crash.1 did not start three times"
n=$(count "$(escapees crash.1)")
[ "$n" -le 1 ] || fail "crash.1 left $n escapees: $(escapees crash.1)"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

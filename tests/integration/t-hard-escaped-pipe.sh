#!/bin/sh
# A grandchild that escapes with setsid keeps the process's stdout pipe
# open. The process is still seen to exit when it does (its exit, not the
# pipe's EOF, ends it), it is restarted as usual, and at stop the
# escapees, out of its group, are killed all the same.
. "$(dirname "$0")/lib.sh"

# Each start leaves an escapee behind, holding the pipe, then exits 0.3 s
# later.
cat >Procfile <<'P'
esc: (setsid sh -c 'echo "escaped $$"; exec sleep 1000' &); echo up; sleep 0.3; exit 3
P
start_up -t 1
# Starts at 0 s, at once again, then 1 s later: three runs in about 2 s.
wait_for '[ "$(up_count "esc\.1 *| escaped ")" -ge 3 ]' 10 ||
    fail "esc.1 was not started three times"
escapees=$(sed -n 's/^.* esc\.1 *| escaped \([0-9]*\)$/\1/p' up.log)
first=$(echo "$escapees" | head -n 1)
# The escapee: its own session, and the writer of the first run's pipe.
set -- $(sed 's/^.*) //' "/proc/$first/stat")
assert_eq "$first $first" "$3 $4" "process group and session of the escapee"
case $(readlink "/proc/$first/fd/1") in
pipe:*) ;;
*) fail "the escapee's stdout is $(readlink "/proc/$first/fd/1")" ;;
esac

wait_for '[ "$(up_count "esc\.1 exited with status 3$")" -ge 3 ]' 5 ||
    fail "the exits were not seen"
# Each exit is seen when it happens, 0.3 s after its start, not when the
# pipe closes (never, while the escapee lives).
sed -n 's/^\([0-9:]*\) system *| esc\.1 \(started\|exited\).*/\1 \2/p' \
    up.log | head -n 6 >runs
awk '
function secs(t) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
$2 == "started" { s = secs($1) }
$2 == "exited" && secs($1) - s > 2 { print "exit seen " secs($1) - s "s late"; bad = 1 }
END { exit bad }' runs || fail "an exit was seen late: $(cat runs)"
for p in $escapees; do
	alive "$p" || fail "escapee $p died before the stop"
done
restarts=$(ps_field esc.1 restarts)
ge "$restarts" 2 || fail "restarts: $restarts"
assert_grep 'system *| esc\.1 restarting$' up.log
assert_grep 'system *| esc\.1 restarting in 1s$' up.log

stop_up
assert_eq 0 "$UP_STATUS" "exit status of up"
# Checked at once: the daemon waited for them.
for p in $escapees; do
	alive "$p" && fail "escapee $p survived the stop"
done
left=$(survivors)
[ -z "$left" ] || fail "processes survived: $(echo $left)"
exit 0

#!/bin/sh
# A grandchild that escapes with setsid keeps the process's stdout pipe
# open. The process is still seen to exit when it does (its exit, not the
# pipe's EOF, ends it), it is restarted as usual, and its escapee goes
# with it, out of its group as it is: the escapees do not pile up.
. "$(dirname "$0")/lib.sh"

# Each start leaves an escapee behind, holding the pipe, then exits 0.3 s
# later; the first run waits 2 s more, to be looked at.
cat >Procfile <<'P'
esc: (setsid sh -c 'echo "escaped $$"; exec sleep 1000' &); echo "up $(date +%s.%N)"; [ -e first ] || { : >first; sleep 2; }; sleep 0.3; exit 3
P
start_up -t 1
wait_for '[ "$(up_count "esc\.1 *| escaped ")" -ge 1 ]' 10 ||
    fail "esc.1 left no escapee"
first=$(sed -n 's/^.* esc\.1 *| escaped \([0-9]*\)$/\1/p' up.log | head -n 1)
# The escapee: its own session, and the writer of the first run's pipe.
set -- $(sed 's/^.*) //' "/proc/$first/stat")
assert_eq "$first $first" "$3 $4" "process group and session of the escapee"
case $(readlink "/proc/$first/fd/1") in
pipe:*) ;;
*) fail "the escapee's stdout is $(readlink "/proc/$first/fd/1")" ;;
esac

# Starts at 0 s, at once again after the first exit at 2.3 s, then 1 s
# after the second exit.
wait_for '[ "$(up_count "esc\.1 exited with status 3 (the shell'\''s: that of the last command it ran)$")" -ge 3 ]' 15 ||
    fail "the exits were not seen"
# Each exit is seen when it happens, not when the pipe closes: the second
# run starts at once after the first, the third 1 s after the second.
set -- $(sed -n 's/^.* esc\.1 *| up //p' up.log | head -n 3)
g1=$(echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }')
g2=$(echo "$2 $3" | awk '{ printf "%.2f", $2 - $1 }')
echo "runs started ${g1}s and ${g2}s apart (2.3 s, then 1.3 s due)"
ge "$g1" 2.25 || fail "the second run came ${g1}s after the first"
ge 3.3 "$g1" || fail "the second run came ${g1}s after the first"
ge "$g2" 1.25 || fail "the third run came ${g2}s after the second"
ge 2.3 "$g2" || fail "the third run came ${g2}s after the second"
restarts=$(ps_field esc.1 restarts)
ge "$restarts" 2 || fail "restarts: $restarts"
assert_grep 'system *| esc\.1 restarting$' up.log
assert_grep 'system *| esc\.1 restarting in 1s$' up.log
# The escapee of each run that ended went with it.
escapees=$(sed -n 's/^.* esc\.1 *| escaped \([0-9]*\)$/\1/p' up.log)
for p in $(echo "$escapees" | head -n 3); do
	wait_for "! alive $p" 3 || fail "escapee $p outlived its run"
done
assert_grep "system *| esc\.1 left 1 process outside its group: SIGKILL to pid $first\$" up.log

stop_up
assert_eq 0 "$UP_STATUS" "exit status of up"
# Checked at once: the daemon waited for them.
for p in $(sed -n 's/^.* esc\.1 *| escaped \([0-9]*\)$/\1/p' up.log); do
	alive "$p" && fail "escapee $p survived the stop"
done
left=$(survivors)
[ -z "$left" ] || fail "processes survived: $(echo $left)"
exit 0

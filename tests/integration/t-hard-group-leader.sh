#!/bin/sh
# The leader of a group exits at once on SIGTERM, as a wrapper (sh, npm)
# does, while the rest of its group is not done: a member that shuts down
# cleanly is given the time to, and one that ignores SIGTERM gets SIGKILL
# at the timeout, not sooner and not never. A leader that exits on its own
# (not asked to stop) takes what is left of its group with it at once.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
grp: sh -c 'trap "" TERM; echo "A $$"; exec sleep 1000' & sh -c 'trap "sleep 0.5; echo B clean; exit 0" TERM; echo "B $$"; sleep 1000 & wait' & wait
crash: sh -c 'trap "" TERM; echo "C $$"; exec sleep 1000' & sleep 0.5; exit 3
P
cat >formation.ini <<'P'
[process.crash]
restart = never
P
start_up -t 2
member() {	# grp.1 A: the pid member A printed
	sed -n "s/^.* $1 *| $2 \([0-9]*\)\$/\1/p" up.log | tail -n 1
}
wait_for '[ -n "$(member grp.1 A)" ] && [ -n "$(member grp.1 B)" ]' ||
    fail "grp.1 did not start its members"
leader=$(up_pid grp.1)
a=$(member grp.1 A)
b=$(member grp.1 B)
for p in $a $b; do
	set -- $(sed 's/^.*) //' "/proc/$p/stat")
	assert_eq "$leader" "$3" "process group of member $p"
done

# On its own, the leader goes and its group with it, at once.
wait_for '[ -n "$(member crash.1 C)" ]' || fail "crash.1 did not start C"
c=$(member crash.1 C)
wait_for "grep -q 'crash\.1 exited with status 3 (the shell.s: that of the last command it ran)\$' up.log" 5 ||
    fail "crash.1 did not exit"
wait_for "! alive $c" 1 || fail "C outlived its leader, crash.1"

t0=$(now)
kill -TERM "$UP_PID"
wait_for "! alive $leader" 1 || fail "the leader of grp.1 did not exit"
# The leader is gone; the member that ignores SIGTERM waits for the
# timeout (2 s), and the other finishes in its own time (0.5 s).
alive "$a" || fail "A was killed with its leader, $(elapsed "$t0")s in"
wait_for "grep -q 'grp\.1 *| B clean\$' up.log" 5 ||
    fail "B was not let shut down cleanly"
alive "$a" || fail "A was killed before the timeout, $(elapsed "$t0")s in"
wait "$UP_PID"
UP_STATUS=$?
UP_PID=""
took=$(elapsed "$t0")
echo "grp.1 stopped in ${took}s (timeout 2 s)"
ge "$took" 2 || fail "stopped in ${took}s, before the 2 s timeout"
ge 5 "$took" || fail "stopped in ${took}s, long after the 2 s timeout"
assert_eq 0 "$UP_STATUS" "exit status of up"
alive "$a" && fail "A survived"
assert_grep 'system *| grp\.1 did not stop within 2\.0s: sending SIGKILL$' \
    up.log
# Its status is the leader's, given once the group is gone.
assert_grep 'system *| grp\.1 killed by SIGTERM (the shell itself)$' up.log
[ "$(grep -n 'grp\.1 killed by' up.log | cut -d: -f1)" -gt \
    "$(grep -n 'grp\.1 did not stop' up.log | cut -d: -f1)" ] ||
    fail "grp.1 was reported gone before its group was"
assert_no_survivors
exit 0

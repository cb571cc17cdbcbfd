#!/bin/sh
# Stop leaves nothing behind: not a background child in the process's
# group, nor a daemon that double-forked into a session of its own (the
# daemon is a subreaper, so it inherits and kills it).
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
bg: sleep 1000 & sleep 1000
escape: (setsid sleep 1000 &) ; echo forked; sleep 1000
P
start_up
wait_for '[ "$(up_count "escape\.1 *| forked")" -ge 1 ]' ||
    fail "escape.1 did not fork"
# The daemon; bg.1: sh and two sleeps; escape.1: sh, sleep, and the
# escaped sleep.
wait_for '[ "$(survivors | wc -l)" -ge 7 ]' ||
    fail "expected 7 processes, found: $(survivors | tr '\n' ' ')"

# The escaped sleep is in a session of its own, and a child of the daemon.
esc=""
for p in $(survivors); do
	set -- $(sed 's/^.*) //' "/proc/$p/stat")
	# $1 state, $2 ppid, $3 pgrp, $4 session
	[ "$2" = "$UP_PID" ] && [ "$p" = "$3" ] && [ "$p" = "$4" ] &&
	    [ "$p" != "$(up_pid bg.1)" ] &&
	    [ "$p" != "$(up_pid escape.1)" ] && esc=$p
done
[ -n "$esc" ] || fail "no escaped process reparented to the daemon"

stop_up
assert_eq 0 "$UP_STATUS" "exit status of up"
# Nothing survives stop, not even for a moment after up has returned.
left=$(survivors)
[ -z "$left" ] || fail "processes survived: $(echo $left)"
exit 0

#!/bin/sh
# A process that closes its terminal and goes on is not hung up: the
# daemon holds the pty's slave until the process exits, so the master
# gives no EIO meanwhile, and closing it does not send the session leader
# a SIGHUP. (A program run without a shell leads its session and closes
# its terminal on its way out: it died of that SIGHUP, now and then.) The
# same for a tty one-off, whose master the CLI holds.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
closer: exec >&- 2>&-; sleep 0.5; exit 3
P
cat >formation.ini <<'P'
[process.closer]
tty = true
restart = never
P
start_up
wait_for '[ "$(up_count " closer\.1 \(exited\|killed\)")" -ge 1 ]' ||
	fail "closer.1 did not end"
assert_grep ' closer\.1 exited with status 3 (the shell.s: that of the last command it ran)$' up.log

python3 "$TESTS_TOP/tests/integration/ptydrive.py" -- "$FORMATION" \
    oneoff -t sh -c 'exec 0<&- 1>&- 2>&-; sleep 0.5; exit 4'
assert_eq 4 $? "status of a tty one-off that closed its terminal"
stop_up
assert_no_survivors
exit 0

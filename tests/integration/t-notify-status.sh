# Under systemd, STATUS= follows the formation: the counts by state after
# a scale, a stop, a start and a crash, not only at start and reload.
. "${TESTS_TOP:-$(dirname "$0")/../..}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

start_notify_receiver
printf 'web: exec sleep 100\ncrash: sleep 0.5; exit 3\n' >Procfile
NOTIFY_SOCKET="$T/notify.sock" start_up -m web=1,crash=0
status() {
	grep '^STATUS=' "$T/notify.log" | tail -n 1
}
expect() {	# the status after "formation v1 in T: ", what led to it
	want="STATUS=formation v1 in $T: $1"
	wait_for '[ "$(status)" = "$want" ]' ||
		fail "after $2: '$(status)', not '$want'"
}
expect "1 running" "the start"
"$FORMATION" scale web=3 >/dev/null || fail "scale web=3"
expect "3 running" "scale web=3"
"$FORMATION" stop web.2 >/dev/null || fail "stop web.2"
expect "2 running, 1 stopped" "stop web.2"
"$FORMATION" start web.2 >/dev/null || fail "start web.2"
expect "3 running" "start web.2"
"$FORMATION" scale web=1 >/dev/null || fail "scale web=1"
expect "1 running" "scale web=1"
"$FORMATION" scale crash=1 >/dev/null || fail "scale crash=1"
expect "1 running, 1 backoff" "a crash"
# One line per change: no STATUS= said twice in a row.
[ -z "$(grep '^STATUS=' "$T/notify.log" | uniq -d)" ] ||
	fail "a STATUS= repeated: $(grep '^STATUS=' "$T/notify.log" | uniq -d)"
stop_up TERM
stop_notify_receiver
assert_no_survivors
exit 0

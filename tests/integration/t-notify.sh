# Under systemd (NOTIFY_SOCKET set), formationd says READY=1 and STATUS=
# once the formation is started, pings the watchdog, and says STOPPING=1
# on SIGTERM; its processes never see the service manager's variables.
. "${TESTS_TOP:-$(dirname "$0")/../..}/tests/integration/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

start_notify_receiver

printf 'web: env >env.out; exec sleep 100\n' >Procfile
NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=200000 start_up
wait_for 'grep -q "^READY=1$" "$T/notify.log"' ||
	fail "no READY=1: $(cat "$T/notify.log")"
case $(sed -n '2p' "$T/notify.log") in
"STATUS=formation v1 in $T: 1 running" | "STATUS=formation v1 in $T: 1 starting") ;;
*) fail "the message after READY=1: $(sed -n 2p "$T/notify.log")" ;;
esac
wait_for 'grep -q "^STATUS=formation v1 in $T: 1 running$" "$T/notify.log"' ||
	fail "no STATUS= of web.1 running: $(cat "$T/notify.log")"
wait_for 'grep -q "^WATCHDOG=1$" "$T/notify.log"' || fail "no watchdog ping"
wait_for '[ -s env.out ]' || fail "web.1 did not start"
assert_no_grep '^NOTIFY_SOCKET=' env.out
assert_no_grep '^WATCHDOG_USEC=' env.out

stop_up TERM
assert_eq 0 "$UP_STATUS" "exit status"
wait_for 'grep -q "^STOPPING=1$" "$T/notify.log"' || fail "no STOPPING=1"
assert_eq "READY=1" "$(head -n 1 "$T/notify.log")" "the first message"
assert_eq "STOPPING=1" "$(grep -v '^WATCHDOG=1$\|^STATUS=' "$T/notify.log" |
    tail -n 1)" "the last message but pings and STATUS="
stop_notify_receiver
assert_no_survivors
exit 0

# Under systemd, a reload says RELOADING=1 when it begins, STATUS= as the
# roll goes, and READY=1 with the status once the formation is on the new
# release; a failed build says READY=1 again too, so systemd does not
# wait for nothing.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

start_notify_receiver

printf 'web: exec sleep 100\n' >Procfile
echo GREETING=hello >.env
NOTIFY_SOCKET="$T/notify.sock" start_up -t 1 -m web=2
wait_for 'grep -q "^READY=1$" "$T/notify.log"' || fail "no READY=1"

n=$(wc -l <"$T/notify.log")
echo GREETING=bye >.env
"$FORMATION" reload >/dev/null 2>&1 || fail "reload failed"
# The roll says how it goes (STATUS=), and READY=1 once it is over, when
# every instance runs on v2.
wait_for '[ "$(grep -c "^READY=1$" "$T/notify.log")" = 2 ] &&
    [ "$(grep "^STATUS=" "$T/notify.log" | tail -n 1)" = "STATUS=formation v2 in $T: 2 running" ]' ||
    fail "no READY=1 and STATUS= after the reload: $(cat "$T/notify.log")"
sed -n "$((n + 1)),\$p" "$T/notify.log" >msgs
sed -n 1p msgs | grep -q '^RELOADING=1|MONOTONIC_USEC=[0-9][0-9]*$' ||
    fail "the reload did not begin with RELOADING=1: $(cat msgs)"
grep -v '^STATUS=' msgs >others
assert_eq "READY=1" "$(sed -n 2p others)" "the message after RELOADING=1"
assert_eq 2 "$(wc -l <others | tr -d ' ')" "messages but STATUS= in the reload"
grep -q "^STATUS=formation v2 in $T: .*\(stopping\|starting\)" msgs ||
	fail "no STATUS= in the middle of the roll: $(cat msgs)"
assert_eq "READY=1" "$(tail -n 1 others)" "the last message of the reload"
assert_grep 'reloaded: v2' up.log

echo 'GREETING="oops' >.env
"$FORMATION" reload >/dev/null 2>&1
assert_eq 78 $? "failed reload status"
wait_for '[ "$(grep -c "^READY=1$" "$T/notify.log")" = 3 ]' ||
    fail "no READY=1 after a failed reload: $(cat "$T/notify.log")"
assert_eq 2 "$(grep -c '^RELOADING=1' "$T/notify.log")" "RELOADING=1 count"
stop_up TERM
stop_notify_receiver
assert_no_survivors
exit 0

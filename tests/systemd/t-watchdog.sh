# The watchdog: with WatchdogSec=2, formationd's pings keep the unit up;
# a formationd that stops answering (SIGSTOP) is killed by systemd and
# started again.
. /opt/formation/tests/systemd/lib.sh

make_app watchdog 'web: exec sleep 1000'
install_unit "$ROOT"
grep -qx 'WatchdogSec=30' "$UNITS/$UNIT" || fail "no WatchdogSec=30 in $UNIT"
mkdir -p "$UNITS/$UNIT.d"
printf '[Service]\nWatchdogSec=2\nRestartSec=1\nTimeoutAbortSec=2\n' \
    >"$UNITS/$UNIT.d/fast.conf"
systemctl daemon-reload
systemctl start "$UNIT" || fail "start exited $?"
main=$(prop "$UNIT" MainPID)
sleep 5
assert_eq "$main" "$(prop "$UNIT" MainPID)" "MainPID after 5 s of pings"
assert_eq 0 "$(prop "$UNIT" NRestarts)" "restarts while pinging"
kill -STOP "$main"
wait_for '[ "$(prop "$UNIT" NRestarts)" = 1 ] &&
    [ "$(prop "$UNIT" ActiveState)" = active ]' 20 ||
	fail "not restarted after SIGSTOP: $(prop "$UNIT" ActiveState)"
journalctl -u "$UNIT" -o cat --no-pager | grep -q 'Watchdog timeout' ||
	fail "no watchdog timeout in the journal"
[ -d "/proc/$main" ] && fail "the stopped formationd survived"
exit 0

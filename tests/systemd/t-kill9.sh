# kill -9 of formationd: systemd kills what is left of the unit and
# starts it again, after RestartSec= (1 s here); the processes come back,
# and none of the old ones survives.
. /opt/formation/tests/systemd/lib.sh

make_app kill9 'web: exec sleep 1000
worker: setsid sleep 1001 & exec sleep 1002'
install_unit "$ROOT"
mkdir -p "$UNITS/$UNIT.d"
printf '[Service]\nRestartSec=1\n' >"$UNITS/$UNIT.d/fast.conf"
systemctl daemon-reload
systemctl start "$UNIT" || fail "start exited $?"
wait_for 'pgrep -f "^sleep 1001" >/dev/null' || fail "no escapee"
main=$(prop "$UNIT" MainPID)
old=$(cgroup_pids "$UNIT")
kill -KILL "$main"
wait_for '[ "$(prop "$UNIT" NRestarts)" = 1 ] &&
    [ "$(prop "$UNIT" ActiveState)" = active ]' 20 ||
	fail "not restarted: $(prop "$UNIT" ActiveState), $(prop "$UNIT" NRestarts) restarts"
new=$(prop "$UNIT" MainPID)
[ "$new" != "$main" ] && [ "$new" != 0 ] || fail "MainPID $new after the kill"
for p in $old; do
	[ -d "/proc/$p" ] && fail "pid $p survived the kill -9 of formationd"
done
wait_for 'fm "$UNIT" ps | grep -q "worker.1 *running"' ||
	fail "worker.1 not back: $(fm "$UNIT" ps)"
exit 0

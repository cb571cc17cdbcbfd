# What systemd sets for a service stays out of the release: a restart
# with unchanged files makes no new version, and no process sees
# SYSTEMD_*, RUNTIME_DIRECTORY, STATE_DIRECTORY, MANAGERPID (nor what
# formationd itself uses: NOTIFY_SOCKET, WATCHDOG_*, JOURNAL_STREAM,
# INVOCATION_ID).
. /opt/formation/tests/systemd/lib.sh

make_app release-env 'web: env >env.out; exec sleep 1000'
install_unit "$ROOT"
mkdir -p "$UNITS/$UNIT.d"
printf '[Service]\nStateDirectory=release-env\n' >"$UNITS/$UNIT.d/state.conf"
systemctl daemon-reload
systemctl start "$UNIT" || fail "start exited $?"
v1=$(fm "$UNIT" ps | sed -n 's/^release \(v[0-9]*\).*/\1/p')
systemctl restart "$UNIT" || fail "restart exited $?"
systemctl restart "$UNIT" || fail "restart exited $?"
v3=$(fm "$UNIT" ps | sed -n 's/^release \(v[0-9]*\).*/\1/p')
[ -n "$v1" ] || fail "no release in ps"
[ "$v1" = "$v3" ] || fail "two restarts with unchanged files went from $v1 to $v3"

state=$(ls -d /var/lib/release-env/releases "$ROOT/.formation/releases" 2>/dev/null | head -n 1)
wait_for '[ -s "$ROOT/env.out" ]' || fail "web.1 wrote no env.out"
leaked=$(grep -E '^(SYSTEMD_[A-Z_]*|RUNTIME_DIRECTORY|STATE_DIRECTORY|MANAGERPID|NOTIFY_SOCKET|WATCHDOG_USEC|WATCHDOG_PID|JOURNAL_STREAM|INVOCATION_ID)=' \
    "$ROOT/env.out" | cut -d= -f1 | tr '\n' ' ')
[ -z "$leaked" ] || fail "web.1 sees $leaked"
[ -n "$state" ] || fail "no release history"
exit 0

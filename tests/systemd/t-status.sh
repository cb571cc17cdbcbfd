# STATUS= follows the formation (systemctl status, StatusText): counts
# after a scale, a stop and a crash, not only at start and reload.
. /opt/formation/tests/systemd/lib.sh

make_app status 'web: exec sleep 1000
crash: sleep 1; exit 3'
install_unit "$ROOT" -m web=1,crash=0
systemctl start "$UNIT" || fail "start exited $?"
status() {
	prop "$UNIT" StatusText
}
wait_for '[ "$(status)" = "formation v1 in $ROOT: 1 running" ]' ||
	fail "StatusText at start: '$(status)'"
fm "$UNIT" scale web=3 >/dev/null || fail "scale"
wait_for '[ "$(status)" = "formation v1 in $ROOT: 3 running" ]' ||
	fail "after scale web=3: '$(status)'"
fm "$UNIT" stop web.2 >/dev/null || fail "stop web.2"
wait_for '[ "$(status)" = "formation v1 in $ROOT: 2 running, 1 stopped" ]' ||
	fail "after stop web.2: '$(status)'"
fm "$UNIT" scale crash=1 >/dev/null || fail "scale crash=1"
wait_for 'status | grep -q "1 backoff"' ||
	fail "after a crash: '$(status)'"
exit 0

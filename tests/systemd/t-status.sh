# STATUS= follows the formation: counts after a scale, a stop and a
# crash, not only at start and reload.
. /opt/formation/tests/systemd/lib.sh

# Set to 1 once the daemon sends STATUS= on every change.
ENFORCED=0
WAITING_FOR="STATUS= kept current"

make_app status 'web: exec sleep 1000
crash: sleep 1; exit 3'
install_unit "$ROOT" -m web=1,crash=0
systemctl start "$UNIT" || fail "start exited $?"
status() {
	prop "$UNIT" StatusText
}
case $(status) in
"formation v1 in $ROOT: 1 running") ;;
*) check "at start: '$(status)'" ;;
esac
fm "$UNIT" scale web=3 >/dev/null || fail "scale"
wait_for '[ "$(status)" = "formation v1 in $ROOT: 3 running" ]' ||
	check "after scale web=3: '$(status)'"
fm "$UNIT" stop web.2 >/dev/null || fail "stop web.2"
wait_for '[ "$(status)" = "formation v1 in $ROOT: 2 running, 1 stopped" ]' ||
	check "after stop web.2: '$(status)'"
fm "$UNIT" scale crash=1 >/dev/null || fail "scale crash=1"
wait_for 'status | grep -q "1 backoff"' ||
	check "after a crash: '$(status)'"
exit 0

# One daemon per app root: with the unit running, 'formation up -d' in
# the app directory refuses to start a second formationd, and 'formation
# ps' there finds the unit's daemon without --socket.
. /opt/formation/tests/systemd/lib.sh

# Set to 1 once the lock and the socket pointer are in the app's state.
ENFORCED=0
WAITING_FOR="one lock per app root, and its socket found from the app"

make_app app-lock 'web: exec sleep 1000'
install_unit "$ROOT"
systemctl start "$UNIT" || fail "start exited $?"
main=$(prop "$UNIT" MainPID)
out=$(cd "$ROOT" && runuser -u deploy -- timeout 20 formation up -d 2>&1)
rc=$?
others=$(pgrep -x formationd | grep -vx "$main" | tr '\n' ' ')
if [ -n "$others" ]; then
	kill $others
	check "a second formationd ($others) started beside the unit's: $out"
elif [ $rc -eq 0 ]; then
	check "'formation up -d' exited 0 beside the unit: $out"
fi
out=$(cd "$ROOT" && runuser -u deploy -- formation ps 2>&1) ||
	check "'formation ps' in the app: $out"
exit 0

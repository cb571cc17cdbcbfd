# One daemon per app root: with the unit running, 'formation up -d' in
# the app directory refuses to start a second formationd, and 'formation
# ps' there finds the unit's daemon without --socket.
. /opt/formation/tests/systemd/lib.sh

make_app app-lock 'web: exec sleep 1000'
install_unit "$ROOT"
systemctl start "$UNIT" || fail "start exited $?"
main=$(prop "$UNIT" MainPID)
out=$(cd "$ROOT" && runuser -u deploy -- timeout 20 formation up -d 2>&1)
rc=$?
others=$(pgrep -x formationd | grep -vx "$main" | tr '\n' ' ')
if [ -n "$others" ]; then
	kill $others
	fail "a second formationd ($others) started beside the unit's: $out"
elif [ $rc -eq 0 ]; then
	fail "'formation up -d' exited 0 beside the unit: $out"
fi
out=$(cd "$ROOT" && runuser -u deploy -- formation ps 2>&1) ||
	fail "'formation ps' in the app: $out"
exit 0

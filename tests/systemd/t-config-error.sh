# A configuration error is not retried: formationd exits 78, and
# RestartPreventExitStatus=78 leaves the unit failed, with no restart; a
# crash is retried after RestartSec=.
. /opt/formation/tests/systemd/lib.sh

make_app config-error 'web: exec sleep 1000'
printf 'A="unterminated\n' >"$ROOT/.env"
install_unit "$ROOT"
for line in RestartPreventExitStatus=78 RestartSec=5 Restart=on-failure; do
	grep -qx "$line" "$UNITS/$UNIT" || fail "no $line in $UNIT"
done
systemctl start "$UNIT" 2>/dev/null && fail "start with a broken .env succeeded"
wait_for '[ "$(prop "$UNIT" ActiveState)" = failed ]' ||
	fail "not failed: $(prop "$UNIT" ActiveState)"
assert_eq 78 "$(prop "$UNIT" ExecMainStatus)" "formationd's exit status"
# Were it retried, the first retry would come after RestartSec=5.
sleep 6
assert_eq failed "$(prop "$UNIT" ActiveState)" "ActiveState 6 s later"
assert_eq 0 "$(prop "$UNIT" NRestarts)" "restarts of a configuration error"
journalctl -u "$UNIT" -o cat --no-pager | grep -q '\.env:1' ||
	fail "the journal does not name .env:1"
exit 0

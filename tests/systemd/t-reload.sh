# systemctl reload goes through formation reload: a new release when the
# files changed, and a failed reload (exit 78 from formation, the unit
# still active on the release it had) when they are broken.
. /opt/formation/tests/systemd/lib.sh

make_app reload 'web: exec sleep 1000'
install_unit "$ROOT"
grep -q "^ExecReload=/usr/local/bin/formation --socket %t/formation-reload/formation.sock reload$" \
    "$UNITS/$UNIT" || fail "ExecReload: $(grep ExecReload "$UNITS/$UNIT")"
systemctl start "$UNIT" || fail "start exited $?"

printf 'web: exec sleep 1000\nworker: exec sleep 1001\n' >"$ROOT/Procfile"
systemctl reload "$UNIT" || fail "reload exited $?"
wait_for 'fm "$UNIT" ps | grep -q "worker.1 *running"' ||
	fail "no worker.1 after the reload: $(fm "$UNIT" ps)"
fm "$UNIT" ps | grep -q '^release v2' || fail "not on v2: $(fm "$UNIT" ps)"
wait_for '[ "$(prop "$UNIT" ActiveState)" = active ]' ||
	fail "not active after the reload"

printf 'web: exec sleep 1000\n' >"$ROOT/Procfile"
printf 'A="unterminated\n' >"$ROOT/.env"
chown deploy: "$ROOT/.env"
systemctl reload "$UNIT" 2>/dev/null && fail "reload of a broken .env succeeded"
journalctl -u "$UNIT" -o cat --no-pager >/tmp/j.$$
grep -q 'reload failed' /tmp/j.$$ || fail "no 'reload failed' in the journal"
grep -q "status=78" /tmp/j.$$ ||
	fail "the reload did not fail with 78: $(grep -i reload /tmp/j.$$)"
rm -f /tmp/j.$$
assert_eq active "$(prop "$UNIT" ActiveState)" "ActiveState after a failed reload"
fm "$UNIT" ps | grep -q '^release v2' || fail "not on v2: $(fm "$UNIT" ps)"
fm "$UNIT" ps | grep -q 'worker.1 *running' || fail "worker.1 stopped"
exit 0

# Unit names: formation-APP, never a name systemd knows (an app in
# /srv/apt-daily leaves Debian's apt-daily.service alone), never written
# over without --force, and settable with --name.
. /opt/formation/tests/systemd/lib.sh

debian=/lib/systemd/system/apt-daily.service
[ -f "$debian" ] || fail "no $debian to protect"
sum=$(md5sum <"$debian")
make_app apt-daily 'web: exec sleep 1000'
install_unit "$ROOT"
assert_eq formation-apt-daily.service "$UNIT" "the unit of /srv/apt-daily"
[ -e "$UNITS/apt-daily.service" ] && fail "an apt-daily.service in $UNITS"

# Not again without --force; the file is left as it was.
echo '# edited' >>"$UNITS/$UNIT"
out=$(cd "$ROOT" && formation export systemd "$UNITS" 2>&1)
assert_eq 1 $? "exit status of an export over a unit"
assert_eq "formation: export: '$UNITS/$UNIT' exists: give --force to replace it" \
    "$out" "the message"
tail -n 1 "$UNITS/$UNIT" | grep -q '^# edited' || fail "the unit was replaced"
(cd "$ROOT" && formation export systemd --force "$UNITS" >/dev/null) ||
	fail "export --force exited $?"
grep -q '^# edited' "$UNITS/$UNIT" && fail "--force did not replace the unit"

# A name systemd has elsewhere is refused, and Debian's unit is intact.
out=$(cd "$ROOT" && formation export systemd --name apt-daily "$UNITS" 2>&1)
assert_eq 1 $? "exit status of --name apt-daily"
case $out in
*"systemd has a unit 'apt-daily.service' already, in '/"*"lib/systemd/system'"*) ;;
*) fail "--name apt-daily: $out" ;;
esac
[ -e "$UNITS/apt-daily.service" ] && fail "apt-daily.service written"
assert_eq "$sum" "$(md5sum <"$debian")" "Debian's apt-daily.service"
out=$(cd "$ROOT" && formation export systemd --name 'a@b' - 2>&1)
assert_eq 2 $? "exit status of a bad --name"

# --name: the unit and its runtime directory.
out=$(cd "$ROOT" && formation export systemd --name shop.service "$UNITS") ||
	fail "export --name shop: $out"
assert_eq "$UNITS/shop.service" "$out" "the path of --name shop.service"
UNITS_MADE="$UNITS_MADE shop.service"
grep -qx 'RuntimeDirectory=shop' "$UNITS/shop.service" ||
	fail "RuntimeDirectory: $(grep RuntimeDirectory "$UNITS/shop.service")"
systemctl daemon-reload
systemctl start shop.service || fail "start shop.service exited $?"
formation --socket /run/shop/formation.sock ps | grep -q 'web.1 *running' ||
	fail "no web.1 on /run/shop/formation.sock"
exit 0

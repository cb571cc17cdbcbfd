# Exported by root, the unit runs as the owner of the app root; a root
# owned app is refused unless --as root; --as names another user.
. /opt/formation/tests/systemd/lib.sh

make_app owner 'web: exec sleep 1000'
out=$(cd "$ROOT" && formation export systemd -) || fail "export: $out"
assert_eq User=deploy "$(echo "$out" | grep '^User=')" "User= of deploy's app"

chown root: "$ROOT"
out=$(cd "$ROOT" && formation export systemd "$UNITS" 2>&1)
assert_eq 1 $? "exit status for a root-owned app"
assert_eq "formation: export: '$ROOT' is owned by root, so the app would run as root: give --as USER, or --as root to mean it" \
    "$out" "the message"
[ -e "$UNITS/formation-owner.service" ] && fail "a unit was written"
out=$(cd "$ROOT" && formation export systemd --as nobody -) ||
	fail "export --as nobody: $out"
assert_eq User=nobody "$(echo "$out" | grep '^User=')" "User= of --as nobody"
out=$(cd "$ROOT" && formation export systemd --as no-such-user - 2>&1)
assert_eq 1 $? "exit status of --as no-such-user"
assert_eq "formation: export: no user 'no-such-user' in /etc/passwd" "$out" \
    "the message"

# A daemon of root's runs only files of root's.
chown -R root: "$ROOT"
install_unit "$ROOT" --as root
grep -q '^User=' "$UNITS/$UNIT" && fail "a User= line with --as root"
systemctl start "$UNIT" || fail "start exited $?"
assert_eq root "$(ps -o user= -p "$(prop "$UNIT" MainPID)" | tr -d ' ')" \
    "formationd's user with --as root"
exit 0

# export systemd --user: a unit for the user's own manager, lingering so
# that it runs without a login: no User=, WantedBy=default.target, the
# socket in $XDG_RUNTIME_DIR.
. /opt/formation/tests/systemd/lib.sh

uid=$(id -u deploy)
loginctl enable-linger deploy || fail "enable-linger"
wait_for "systemctl is-active -q user@$uid.service" 20 ||
	fail "no user manager: $(systemctl status --no-pager user@$uid 2>&1 | tail -n 5)"
as_deploy() {
	runuser -u deploy -- env XDG_RUNTIME_DIR="/run/user/$uid" \
	    HOME=/home/deploy "$@"
}
app=/home/deploy/app
rm -rf "$app" && mkdir -p "$app" && printf 'web: exec sleep 1000\n' \
    >"$app/Procfile" && chown -R deploy: /home/deploy
dir=/home/deploy/.config/systemd/user
as_deploy mkdir -p "$dir"
out=$(cd "$app" && as_deploy formation export systemd --user "$dir" 2>&1) ||
	fail "export --user: $out"
unit=$dir/formation-app.service
assert_eq "$unit" "$(echo "$out" | tail -n 1)" "the path export prints"
grep -q '^User=' "$unit" && fail "a User= line in a user unit"
grep -qx 'WantedBy=default.target' "$unit" || fail "no WantedBy=default.target"
grep -q 'CapabilityBoundingSet\|PrivateDevices' "$unit" &&
	fail "a setting a user manager cannot apply"
out=$(cd "$app" && as_deploy formation export systemd --user --as x - 2>&1)
assert_eq 2 $? "exit status of --user --as"

cleanup_user() {
	as_deploy systemctl --user disable --now formation-app >/dev/null 2>&1
	loginctl disable-linger deploy
	rm -rf "$app" "$unit"
}
trap 'rc=$?; cleanup_user; exit $rc' EXIT
as_deploy systemctl --user daemon-reload
as_deploy systemctl --user enable --now formation-app ||
	fail "systemctl --user enable --now: $(as_deploy journalctl --user -u formation-app --no-pager -n 20 2>&1)"
sock=/run/user/$uid/formation-app/formation.sock
out=$(as_deploy formation --socket "$sock" ps) || fail "ps: $out"
echo "$out" | grep -q 'web.1 *running' || fail "ps: $out"
as_deploy systemctl --user reload formation-app || fail "reload exited $?"
as_deploy systemctl --user stop formation-app || fail "stop exited $?"
[ -e "$sock" ] && fail "the socket survived the stop"
exit 0

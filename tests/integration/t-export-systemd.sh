# formation export systemd: a unit for an app whose path holds a blank
# and a '%', with an env file whose name holds '$', quotes and a
# backslash; every value escaped, and systemd-analyze verify accepts the
# unit (system and user, hardened or not) and docs/formation.service.
# (tests/systemd runs them under a real systemd.)
. "${TESTS_TOP:-$(dirname "$0")/../..}/tests/integration/lib.sh"

command -v systemd-analyze >/dev/null 2>&1 ||
	skip "systemd-analyze is not installed"

# Run systemd-analyze verify on a unit: nothing to say, and success.
verify() {
	out=$(SYSTEMD_LOG_LEVEL=err systemd-analyze verify "$1" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || fail "systemd-analyze verify $1 exited $rc: $out"
	[ -z "$out" ] || fail "systemd-analyze verify $1 said: $out"
}

# What systemd makes of the unit: "Command Line:", "WorkingDirectory:"...
dump() {
	SYSTEMD_LOG_LEVEL=debug systemd-analyze verify "$1" 2>&1 |
	    sed -n "s/^[[:space:]]*$2: //p" | head -n 1
}

app="$T/my app%1"
envname="e\$H \"q\" \\b 'x'.env"
mkdir -p "$app" "$T/units" || fail "mkdir"
printf 'web: sleep 100\n' >"$app/Procfile"
printf 'A=1\n' >"$app/$envname"
daemon=$(cd "$(dirname "$FORMATIOND")" && pwd -P)/formationd

# As root, the unit runs as the owner of the app root: make it nobody's.
if [ "$(id -u)" = 0 ]; then
	chown nobody "$app"
	user=nobody
else
	user=$(id -un)
fi
export_app() {	# export options...
	(cd "$app" && "$FORMATION" export systemd --formationd "$daemon" "$@")
}
out=$(export_app -e "$envname" -m web=1 -t 3 "$T/units" 2>"$T/err") ||
	fail "export exited $?: $(cat "$T/err")"
unit="$T/units/formation-my-app-1.service"
assert_eq "$unit" "$out" "the path export prints"
[ -f "$unit" ] || fail "no $unit"
# The daemon of a build tree is not an installed one.
assert_grep "warning: the unit runs '$daemon', in a build tree" "$T/err"

esc=$(printf '%s' "$app" | sed 's/%/%%/g')
cli=$(dirname "$daemon")/formation
assert_eq "Description=formation: my app%%1" \
    "$(grep '^Description=' "$unit")" "Description"
assert_eq "WorkingDirectory=$esc" "$(grep '^WorkingDirectory=' "$unit")" \
    "WorkingDirectory"
assert_eq "User=$user" "$(grep '^User=' "$unit")" "User="
sock=%t/formation-my-app-1/formation.sock
want="ExecStart=$daemon -C \"$esc\" -e \"$esc/e\$\$H \\\"q\\\" \\\\b 'x'.env\""
want="$want -m web=1 -t 3 --socket $sock"
assert_eq "$want" "$(grep '^ExecStart=' "$unit")" "ExecStart"
assert_eq "ExecReload=$cli --socket $sock reload" \
    "$(grep '^ExecReload=' "$unit")" "ExecReload"
assert_eq "ReadWritePaths=\"$esc\"" "$(grep '^ReadWritePaths=' "$unit")" \
    "ReadWritePaths"
for line in 'KillMode=mixed' 'TimeoutStopSec=8' \
    'RuntimeDirectory=formation-my-app-1' 'RuntimeDirectoryMode=0700' \
    'Restart=on-failure' 'RestartSec=5' 'RestartPreventExitStatus=78' \
    'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' \
    'CapabilityBoundingSet=' 'WantedBy=multi-user.target'; do
	grep -qxF "$line" "$unit" || fail "no line '$line' in $unit"
done
v=$(systemctl --version 2>/dev/null | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
if [ -n "$v" ] && [ "$v" -ge 253 ]; then
	grep -qx 'Type=notify-reload' "$unit" || fail "not notify-reload on $v"
else
	grep -qx 'Type=notify' "$unit" || fail "not Type=notify on ${v:-?}"
fi

verify "$unit"
assert_eq "$app" "$(dump "$unit" WorkingDirectory)" "WorkingDirectory seen"
assert_eq "formation: my app%1" "$(dump "$unit" Description)" \
    "Description seen"
# systemd keeps '$$' until it runs the command, and quotes as C does.
want="$daemon -C \"$app\" -e \"$app/e\\\$\\\$H \\\"q\\\" \\\\b 'x'.env\""
want="$want -m web=1 -t 3 --socket /run/formation-my-app-1/formation.sock"
assert_eq "$want" "$(dump "$unit" 'Command Line')" "ExecStart seen"

# Never over a file without --force; "-" prints the same unit.
echo '# mine' >>"$unit"
export_app -e "$envname" -m web=1 -t 3 "$T/units" >/dev/null 2>"$T/err"
assert_eq 1 $? "exit status of an export over a unit"
assert_grep "'$unit' exists: give --force to replace it" "$T/err"
export_app -e "$envname" -m web=1 -t 3 - >"$T/stdout.service" 2>/dev/null ||
	fail "export - exited $?"
export_app -e "$envname" -m web=1 -t 3 --force "$T/units" >/dev/null \
    2>&1 || fail "export --force exited $?"
cmp -s "$T/stdout.service" "$unit" || fail "export - differs from the file"

# The default directory is the working directory; --name names the unit.
export_app >/dev/null 2>&1 || fail "export ."
[ -f "$app/formation-my-app-1.service" ] || fail "no unit in the app root"
out=$(export_app --name shop - 2>/dev/null) || fail "export --name shop"
echo "$out" | grep -qx 'RuntimeDirectory=shop' || fail "--name: $out"
export_app --name 'x/y' - >/dev/null 2>"$T/err"
assert_eq 2 $? "exit status of a bad --name"
assert_grep "bad unit name 'x/y'" "$T/err"

# A user unit; a unit without the sandbox; low ports.
export_app --user "$T/user" >/dev/null 2>&1 || fail "export --user"
uunit=$T/user/formation-my-app-1.service
grep -q '^User=' "$uunit" && fail "User= in a user unit"
grep -qx 'WantedBy=default.target' "$uunit" || fail "no default.target"
verify "$uunit"
export_app --no-harden --bind-low-ports --force "$T/units" >/dev/null \
    2>&1 || fail "export --no-harden"
grep -q 'ProtectSystem\|CapabilityBoundingSet' "$unit" &&
	fail "a sandbox with --no-harden"
grep -qx 'AmbientCapabilities=CAP_NET_BIND_SERVICE' "$unit" ||
	fail "no AmbientCapabilities with --bind-low-ports"
verify "$unit"
export_app --user --bind-low-ports - >/dev/null 2>"$T/err"
assert_eq 2 $? "exit status of --user --bind-low-ports"
assert_grep "bind-low-ports is for a system unit" "$T/err"

# Run by another user, the unit runs as that user (by name). As root, a
# root-owned app needs --as root.
if [ "$(id -u)" = 0 ]; then
	chown root "$app"
	export_app - >/dev/null 2>"$T/err"
	assert_eq 1 $? "exit status for a root-owned app"
	assert_grep "is owned by root, so the app would run as root" "$T/err"
	out=$(export_app --as root - 2>/dev/null) || fail "export --as root"
	echo "$out" | grep -q '^User=' && fail "User= with --as root"
	if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
		chmod 755 "$T"
		out=$(cd / && setpriv --reuid=nobody --regid="$(id -g nobody)" \
		    --clear-groups "$FORMATION" -C "$app" export systemd \
		    --formationd "$daemon" - 2>/dev/null) ||
			fail "export as nobody exited $?"
		assert_eq "User=nobody" "$(echo "$out" | grep '^User=')" \
		    "User= of nobody's unit"
	fi
fi

"$FORMATION" export upstart >/dev/null 2>"$T/err"
assert_eq 2 $? "exit status of an unknown format"
assert_grep "unknown format 'upstart'" "$T/err"

# The shipped template, as formation@.service and as instances of it.
mkdir "$T/tpl"
sed "s|/usr/local/bin/|$(dirname "$daemon")/|g" \
    "$TESTS_TOP/docs/formation.service" >"$T/tpl/formation@.service"
grep -q "^ExecStart=$daemon " "$T/tpl/formation@.service" ||
	fail "no ExecStart in docs/formation.service"
verify "$T/tpl/formation@.service"
cp "$T/tpl/formation@.service" "$T/tpl/formation@srv-my\\x20app.service"
verify "$T/tpl/formation@srv-my\\x20app.service"
assert_eq "/srv/my app" \
    "$(dump "$T/tpl/formation@srv-my\\x20app.service" WorkingDirectory)" \
    "the template's WorkingDirectory"
assert_eq "$daemon -C \"/srv/my app\"" \
    "$(dump "$T/tpl/formation@srv-my\\x20app.service" 'Command Line')" \
    "the template's ExecStart"
exit 0

# formation export systemd: a unit for an app whose path holds a blank
# and a '%', with an env file whose name holds '$', quotes and a
# backslash; every value escaped, and systemd-analyze verify accepts the
# unit and docs/formation.service.
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

out=$(cd "$app" && "$FORMATION" export systemd -e "$envname" -m web=1 \
    -t 3 "$T/units") || fail "export exited $?"
unit="$T/units/my-app-1.service"
assert_eq "$unit" "$out" "the path export prints"
[ -f "$unit" ] || fail "no $unit"

esc=$(printf '%s' "$app" | sed 's/%/%%/g')
assert_eq "Description=formation: my app%%1" \
    "$(grep '^Description=' "$unit")" "Description"
assert_eq "WorkingDirectory=$esc" "$(grep '^WorkingDirectory=' "$unit")" \
    "WorkingDirectory"
want="ExecStart=$daemon -C \"$esc\" -e \"$esc/e\$\$H \\\"q\\\" \\\\b 'x'.env\""
want="$want -m web=1 -t 3 --socket %t/formation-my-app-1/formation.sock"
assert_eq "$want" "$(grep '^ExecStart=' "$unit")" "ExecStart"
for line in 'Type=notify' 'ExecReload=/bin/kill -HUP $MAINPID' \
    'KillMode=mixed' 'TimeoutStopSec=8' \
    'RuntimeDirectory=formation-my-app-1' 'RuntimeDirectoryMode=0700' \
    'Restart=on-failure' 'WantedBy=multi-user.target'; do
	grep -qxF "$line" "$unit" || fail "no line '$line' in $unit"
done

verify "$unit"
assert_eq "$app" "$(dump "$unit" WorkingDirectory)" "WorkingDirectory seen"
assert_eq "formation: my app%1" "$(dump "$unit" Description)" \
    "Description seen"
# systemd keeps '$$' until it runs the command, and quotes as C does.
want="$daemon -C \"$app\" -e \"$app/e\\\$\\\$H \\\"q\\\" \\\\b 'x'.env\""
want="$want -m web=1 -t 3 --socket /run/formation-my-app-1/formation.sock"
assert_eq "$want" "$(dump "$unit" 'Command Line')" "ExecStart seen"

# "-" prints the same unit.
(cd "$app" && "$FORMATION" export systemd -e "$envname" -m web=1 -t 3 -) \
    >"$T/stdout.service" || fail "export - exited $?"
cmp -s "$T/stdout.service" "$unit" || fail "export - differs from the file"

# The default directory is the working directory.
(cd "$app" && "$FORMATION" export systemd >/dev/null) || fail "export ."
[ -f "$app/my-app-1.service" ] || fail "no unit in the working directory"

# Run by another user, the unit runs as that user (by name); root needs no
# User= line.
if [ "$(id -u)" = 0 ]; then
	grep -q '^User=' "$unit" && fail "a User= line for root"
	if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
		chmod 755 "$T"
		out=$(cd / && setpriv --reuid=nobody --regid="$(id -g nobody)" \
		    --clear-groups "$FORMATION" -C "$app" export systemd -) ||
			fail "export as nobody exited $?"
		assert_eq "User=nobody" "$(echo "$out" | grep '^User=')" \
		    "User= of nobody's unit"
	fi
else
	assert_eq "User=$(id -un)" "$(grep '^User=' "$unit")" "User="
fi

"$FORMATION" export upstart >/dev/null 2>"$T/err"
assert_eq 2 $? "exit status of an unknown format"
assert_grep "unknown format 'upstart'" "$T/err"

# The shipped template, as formation@.service and as an instance of it.
mkdir "$T/tpl"
sed "s|/usr/local/bin/formationd|$daemon|" \
    "$TESTS_TOP/docs/formation.service" >"$T/tpl/formation@.service"
grep -q "^ExecStart=$daemon " "$T/tpl/formation@.service" ||
	fail "no ExecStart in docs/formation.service"
verify "$T/tpl/formation@.service"
cp "$T/tpl/formation@.service" "$T/tpl/formation@srv-my\\x20app.service"
verify "$T/tpl/formation@srv-my\\x20app.service"
assert_eq "/srv/my app" \
    "$(dump "$T/tpl/formation@srv-my\\x20app.service" WorkingDirectory)" \
    "the template's WorkingDirectory"
exit 0

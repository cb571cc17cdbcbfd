# docs/formation.service as formation@.service: instances named after
# app roots with a dash and a blank get their runtime directory, socket
# and reload right, with no '\x2d' or '\x20' anywhere.
. /opt/formation/tests/systemd/lib.sh

cp "$SRC/docs/formation.service" "$UNITS/formation@.service" ||
	fail "cannot install the template"
mkdir -p "$UNITS/formation@.service.d"
printf '[Service]\nUser=deploy\n' >"$UNITS/formation@.service.d/user.conf"
UNITS_MADE="formation@.service"
systemctl daemon-reload

check_instance() {	# root
	d=$1
	mkdir -p "$d" && printf 'web: exec sleep 1000\n' >"$d/Procfile" &&
		chown -R deploy: "$d"
	u="formation@$(systemd-escape --path "$d").service"
	UNITS_MADE="$UNITS_MADE $u"
	systemctl start "$u" || fail "start $u exited $?"
	sock="/run/formation$d/formation.sock"
	[ -S "$sock" ] || fail "no socket '$sock': $(find /run/formation)"
	find /run/formation | grep -q '\\x' && fail "an escape in: $(find /run/formation)"
	formation --socket "$sock" ps >/tmp/ps.$$ || fail "ps on $sock"
	grep -q "web.1 *running" /tmp/ps.$$ || fail "ps: $(cat /tmp/ps.$$)"
	assert_eq deploy "$(ps -o user= -p "$(prop "$u" MainPID)" | tr -d ' ')" \
	    "the user of $u"
	printf 'web: exec sleep 1000\nworker: exec sleep 1001\n' >"$d/Procfile"
	systemctl reload "$u" || fail "reload $u exited $?"
	wait_for "formation --socket '$sock' ps | grep -q 'worker.1 *running'" ||
		fail "no worker.1 after the reload of $u"
	systemctl stop "$u" || fail "stop $u exited $?"
	[ -e "$sock" ] && fail "'$sock' left after the stop"
	rm -f /tmp/ps.$$
}

check_instance /srv/my-app
check_instance "/srv/my app"
rm -rf "/srv/my app" /srv/my-app
rm -rf "$UNITS/formation@.service.d"
exit 0

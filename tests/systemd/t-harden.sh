# The default export is hardened: systemd-analyze security scores it 2.0
# or less, and the app still serves, answers ps, runs a one-off on a pty
# and reloads. --bind-low-ports lets it bind port 80, --home lets it live
# in a home, and --no-harden leaves the sandbox out.
. /opt/formation/tests/systemd/lib.sh

make_app harden "web: busybox httpd -f -p \$PORT -h www"
mkdir "$ROOT/www" && echo hardened >"$ROOT/www/index.html" &&
	chown -R deploy: "$ROOT/www"
install_unit "$ROOT" -p 8300
score=$(systemd-analyze security --no-pager "$UNIT" 2>&1 |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "no score from systemd-analyze security"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' ||
	fail "exposure $score, over 2.0: $(systemd-analyze security --no-pager "$UNIT" | grep '✗')"
echo "exposure of the default export: $score"

systemctl start "$UNIT" || fail "start exited $?"
wait_for '[ "$(http_get 8300)" = hardened ]' || fail "web does not answer"
fm "$UNIT" ps | grep -q 'web.1 *running' || fail "ps: $(fm "$UNIT" ps)"
# (as the app's user, whose daemon it is)
tty=$(runuser -u deploy -- script -qec \
    "formation --socket $(socket_of "$UNIT") oneoff -t tty" /dev/null |
    tr -d '\r')
case $tty in /dev/pts/*) ;; *) fail "the pty one-off said '$tty'" ;; esac
# The sandbox holds: the app root is writable, the system is not.
out=$(fm "$UNIT" oneoff -T sh -c 'touch ok && echo wrote; touch /etc/x 2>&1; id -un')
echo "$out" | grep -q '^wrote$' || fail "cannot write the app root: $out"
echo "$out" | grep -q 'Read-only file system' || fail "/etc is writable: $out"
echo "$out" | grep -q '^deploy$' || fail "the one-off is not deploy's: $out"
printf 'web: busybox httpd -f -p $PORT -h www\nworker: exec sleep 1000\n' \
    >"$ROOT/Procfile"
systemctl reload "$UNIT" || fail "reload exited $?"
wait_for 'fm "$UNIT" ps | grep -q "worker.1 *running"' ||
	fail "no worker.1 after the reload"
systemctl stop "$UNIT"

# Port 80, as deploy.
rm -f "$UNITS/$UNIT"
install_unit "$ROOT" -p 80 --bind-low-ports
grep -qx 'AmbientCapabilities=CAP_NET_BIND_SERVICE' "$UNITS/$UNIT" ||
	fail "no AmbientCapabilities with --bind-low-ports"
systemctl start "$UNIT" || fail "start exited $?"
wait_for '[ "$(http_get 80)" = hardened ]' || fail "web does not answer on 80"
systemctl stop "$UNIT"

# In a home: read-only homes, but the app root writable.
home=/home/deploy/homeapp
rm -rf "$home" && mkdir -p "$home" &&
	printf 'web: exec sleep 1000\n' >"$home/Procfile" &&
	chown -R deploy: /home/deploy
out=$(cd "$home" && formation export systemd "$UNITS" 2>&1) ||
	fail "export in a home: $out"
echo "$out" | grep -q "warning: '$home' is in a home directory" ||
	fail "no warning for a home: $out"
UNITS_MADE="$UNITS_MADE formation-homeapp.service"
grep -qx 'ProtectHome=read-only' "$UNITS/formation-homeapp.service" ||
	fail "ProtectHome: $(grep ProtectHome "$UNITS/formation-homeapp.service")"
systemctl daemon-reload
systemctl start formation-homeapp || fail "start in a home exited $?"
out=$(formation --socket /run/formation-homeapp/formation.sock oneoff -T \
    sh -c 'touch ok && echo wrote; touch ../x 2>&1')
echo "$out" | grep -q '^wrote$' || fail "cannot write the app root: $out"
echo "$out" | grep -q 'Read-only file system' || fail "the home is writable: $out"
systemctl stop formation-homeapp
rm -rf "$home"

out=$(cd "$ROOT" && formation export systemd --no-harden -) || fail "--no-harden"
echo "$out" | grep -q 'ProtectSystem\|NoNewPrivileges\|CapabilityBoundingSet' &&
	fail "a sandbox with --no-harden"
exit 0

# The exported unit as root: runs as the app's owner, systemctl start
# returns once formationd said READY=1 (its processes started before
# systemd logs "Started"), STATUS= is set, and systemctl stop leaves
# nothing in the unit's cgroup: grandchildren and a setsid escapee
# included.
. /opt/formation/tests/systemd/lib.sh

make_app start-stop "web: busybox httpd -f -p \$PORT -h www
worker: sleep 1000 & setsid sleep 1001 & exec sleep 1002"
root=$ROOT
mkdir "$root/www" && echo hello >"$root/www/index.html" &&
	chown -R deploy: "$root/www"
install_unit "$root" -p 8100
unit=$UNIT
assert_eq formation-start-stop.service "$unit" "the unit's name"

systemctl start "$unit" || fail "systemctl start exited $?"
assert_eq active "$(prop "$unit" ActiveState)" "ActiveState after start"
assert_eq notify "$(prop "$unit" Type)" "Type"
assert_eq deploy "$(prop "$unit" User)" "User="
# Started only after READY=1, which comes once the processes are started.
journalctl -u "$unit" -o cat --no-pager >/tmp/journal.$$
started=$(grep -n 'worker.1 started' /tmp/journal.$$ | cut -d: -f1 | head -n 1)
ready=$(grep -n "^Started $unit" /tmp/journal.$$ | cut -d: -f1 | head -n 1)
rm -f /tmp/journal.$$
[ -n "$started" ] && [ -n "$ready" ] && [ "$started" -lt "$ready" ] ||
	fail "systemd said Started (line $ready) before the processes were (line $started)"
wait_for '[ "$(prop "$unit" StatusText)" = "formation v1 in $root: 2 running" ]' ||
	fail "StatusText: '$(prop "$unit" StatusText)'"

wait_for '[ "$(http_get 8100)" = hello ]' || fail "web does not answer"
main=$(prop "$unit" MainPID)
assert_eq deploy "$(ps -o user= -p "$main" | tr -d ' ')" "formationd's user"
fm "$unit" ps >/tmp/ps.$$ || fail "formation ps exited $?"
assert_grep 'web.1' /tmp/ps.$$
rm -f /tmp/ps.$$
wait_for 'pgrep -f "^sleep 1001" >/dev/null' || fail "no escapee"
escapee=$(pgrep -f '^sleep 1001')
[ "$(ps -o sid= -p "$escapee" | tr -d ' ')" = "$escapee" ] ||
	fail "the escapee is not in a session of its own"
pids=$(cgroup_pids "$unit")
[ "$(echo "$pids" | wc -w)" -ge 5 ] ||
	fail "the unit's cgroup holds only: $pids"

systemctl stop "$unit" || fail "systemctl stop exited $?"
assert_eq inactive "$(prop "$unit" ActiveState)" "ActiveState after stop"
assert_eq success "$(prop "$unit" Result)" "Result of the stop"
for p in $pids; do
	[ -d "/proc/$p" ] && fail "pid $p of the unit survived the stop: $(cat /proc/$p/cmdline | tr '\0' ' ')"
done
pgrep -f '^sleep 100[012]' && fail "a sleep survived the stop"
[ -e "$(socket_of "$unit")" ] && fail "the socket survived the stop"
exit 0

#!/bin/sh
# ready = notify: NOTIFY_SOCKET for the process, READY=1 from anything in
# its group makes it running, STATUS= shows in ps and ps --json; a type
# without the check gets no NOTIFY_SOCKET. systemd-notify works too.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<P
web: exec python3 $TESTS_TOP/tests/integration/readysrv.py notify
sd: until [ -e go ]; do sleep 0.05; done; systemd-notify --status="sd up" --ready; exec sleep 600
plain: exec sleep 600
P
cat >formation.ini <<'I'
[process.web]
ready = notify
[process.sd]
ready = notify
I
has_sd=1
command -v systemd-notify >/dev/null || { has_sd=0; sed -i '/^sd:/d' Procfile; }
start_up
wait_for '[ "$(ps_field web.1 status)" = booting ]' ||
    fail "the STATUS= of web.1 is not in ps --json: $(cat ps.json)"
assert_eq starting "$(ps_field web.1 state)" "web.1 before READY=1"
"$FORMATION" ps >ps.out || fail "ps failed"
grep -q '^web\.1  *starting .* booting  *exec python3' ps.out ||
    fail "ps does not show the status: $(cat ps.out)"
sock=$(env_of "$(ps_field web.1 pid)" NOTIFY_SOCKET)
assert_eq "$T/.formation/notify.sock" "$sock" "NOTIFY_SOCKET of web.1"
assert_eq "" "$(env_of "$(ps_field plain.1 pid)" NOTIFY_SOCKET)" \
    "NOTIFY_SOCKET of plain.1"
assert_eq None "$(ps_field plain.1 status)" "status of plain.1"
# From someone not of the formation, READY=1 counts for nothing.
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"READY=1\nSTATUS=forged", sys.argv[1])' "$sock" ||
    fail "cannot send to $sock"
touch go
wait_for '[ "$(ps_field web.1 state)" = running ]' ||
    fail "web.1 did not become running on READY=1"
assert_eq "up and serving" "$(ps_field web.1 status)" "status of web.1"
assert_grep "system *| web\.1 ready (notify, [0-9.]* s)\$" up.log
if [ $has_sd = 1 ]; then
	wait_for '[ "$(ps_field sd.1 state)" = running ]' ||
	    fail "sd.1 did not become running on systemd-notify --ready"
	assert_eq "sd up" "$(ps_field sd.1 status)" "status of sd.1"
fi
assert_no_grep forged ps.json
stop_up
assert_no_survivors
[ $has_sd = 1 ] || echo "systemd-notify not installed: its part skipped"
exit 0

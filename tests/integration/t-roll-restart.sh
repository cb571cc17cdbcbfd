#!/bin/sh
# restart TYPE rolls when the type has more than one instance or a ready
# check. With a check, each new instance starts beside the old one, on
# a port no instance has, and the old one stops once the new one is
# ready: the type never has fewer instances ready than before, even
# with one instance. overlap = false restarts each in its place, the
# next one stopped only once the one before is ready again;
# --all-at-once stops them all at once, as before.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 3) || skip "no free port"

cat >Procfile <<P
web: exec python3 $TESTS_TOP/tests/integration/readysrv.py tcp
P
cat >formation.ini <<'I'
[process.web]
ready = tcp
I
touch go
start_detached -p "$base" -m web=2
log=.formation/formation.log

# The events since the mark, in order (before, event_line: lib.sh).
events() {
	sed -n "$mark,\$p" "$log" | sed 's/^[0-9:]* system *| //'
}
# The instances running, with their ports: "web.1:5000 web.2:5001".
running() {
	ps_json '" ".join(x["name"] + ":" + str(x["port"]) for x in d["processes"] if x["state"] == "running")'
}
# How many instances answer on their ports: what "ready" means here.
answering() {
	python3 - $(ps_json '" ".join(str(x["port"]) for x in d["processes"] if x["state"] in ("running", "stopping"))') <<'PY'
import socket, sys
n = 0
for p in sys.argv[1:]:
    try:
        socket.create_connection(("127.0.0.1", int(p)), timeout=1).close()
        n += 1
    except OSError:
        pass
print(n)
PY
}
# roll_watch N OLDPID: until web.N has a pid other than OLDPID and is
# running, at least MIN instances answer, whenever we look.
roll_watch() {
	_i=0
	while [ "$(ps_field "web.$1" pid)" = "$2" ] ||
	    [ "$(ps_field "web.$1" state)" != running ]; do
		_n=$(answering)
		[ "$_n" -ge "$MIN" ] ||
		    fail "$_n instances answered during the roll, fewer than $MIN: $(events)"
		[ $((_i += 1)) -lt 400 ] || fail "the roll did not end: $(events)"
		sleep 0.05
	done
}

# Each new instance beside its old self: web.1 on the third port, then
# web.2 on the port web.1 left; never fewer than two answering.
mark=$(($(wc -l <"$log") + 1))
old1=$(ps_field web.1 pid)
old2=$(ps_field web.2 pid)
"$FORMATION" restart web >out 2>err || fail "restart: $(cat err)"
assert_eq "restarting 2 processes" "$(cat out)" "restart web"
MIN=2 roll_watch 2 "$old2"
new1=$(ps_field web.1 pid)
new2=$(ps_field web.2 pid)
before "web\.1 starting beside pid $old1, on port $((base + 2))" "web\.1 started (pid $new1)"
before "web\.1 ready (tcp :$((base + 2)), " "web\.1 stopping (SIGTERM, replaced by pid $new1)"
before "web\.1 stopping (SIGTERM, replaced" "web\.2 starting beside pid $old2, on port $base"
before "web\.2 ready (tcp :$base, " "web\.2 stopping (SIGTERM, replaced by pid $new2)"
wait_for '[ "$(running)" = "web.1:$((base + 2)) web.2:$base" ]' ||
    fail "after the roll: $(running)"
alive "$old1" && fail "the old web.1 (pid $old1) lives on"
alive "$old2" && fail "the old web.2 (pid $old2) lives on"

# One instance with a check: never none answering.
"$FORMATION" scale web=1 >/dev/null || fail "scale failed"
wait_for '[ "$(ps_json "len(p)")" = 1 ]' || fail "web.2 stayed"
mark=$(($(wc -l <"$log") + 1))
old1=$(ps_field web.1 pid)
"$FORMATION" restart web >out 2>err || fail "restart of one: $(cat err)"
assert_eq "restarting 1 process" "$(cat out)" "restart of one"
MIN=1 roll_watch 1 "$old1"
before "web\.1 ready (tcp :" "web\.1 stopping (SIGTERM, replaced by pid"
wait_for '[ "$(ps_json "len(d[\"processes\"])")" = 1 ]' || fail "the old web.1 stayed"

# --all-at-once: both stop before either is ready again.
"$FORMATION" scale web=2 >/dev/null || fail "scale failed"
wait_for '[ "$(ps_json "len([x for x in p.values() if x[\"state\"] == \"running\"])")" = 2 ]' ||
    fail "web.2 did not start"
mark=$(($(wc -l <"$log") + 1))
"$FORMATION" restart --all-at-once web >out 2>err ||
    fail "restart --all-at-once: $(cat err)"
assert_eq "restarting 2 processes" "$(cat out)" "restart --all-at-once"
wait_for '[ -n "$(event_line "web\.1 ready")" ] && [ -n "$(event_line "web\.2 ready")" ]' ||
    fail "web did not come back: $(events)"
before "web\.2 stopping (SIGTERM, restart requested)" "web\.1 ready"
before "web\.1 stopping (SIGTERM, restart requested)" "web\.2 ready"

# overlap = false: each in its place, on its own port, the next one
# stopped only once the one before is ready again.
printf '[process.web]\nready = tcp\noverlap = false\n' >formation.ini
"$FORMATION" reload >/dev/null 2>&1 || fail "reload failed"
wait_for '[ "$(ps_json "len(d[\"processes\"])")" = 2 ] &&
    [ "$(ps_json "len([x for x in p.values() if x[\"state\"] == \"running\"])")" = 2 ]' ||
    fail "not back to two after the reload"
set -- $(ps_json '" ".join(str(x["port"]) for x in p.values())')
p1=$1 p2=$2
mark=$(($(wc -l <"$log") + 1))
old2=$(ps_field web.2 pid)
"$FORMATION" restart web >out 2>err || fail "restart in place: $(cat err)"
MIN=1 roll_watch 2 "$old2"
before "web\.1 stopping (SIGTERM, restart requested)" "web\.1 ready (tcp :$p1, "
before "web\.1 ready (tcp :$p1, " "web\.2 stopping (SIGTERM, restart requested)"
before "web\.2 stopping (SIGTERM, restart requested)" "web\.2 ready (tcp :$p2, "
[ -z "$(event_line "beside")" ] || fail "overlap = false started one beside: $(events)"

# One instance and no check: at once, as it always was.
printf '' >formation.ini
"$FORMATION" reload >/dev/null 2>&1 || fail "reload failed"
"$FORMATION" scale web=1 >/dev/null || fail "scale failed"
wait_for '[ "$(ps_json "len(p)")" = 1 ]' || fail "web.2 stayed"
mark=$(($(wc -l <"$log") + 1))
"$FORMATION" restart web.1 >out 2>err || fail "restart web.1: $(cat err)"
wait_for '[ -n "$(event_line "web\.1 started")" ]' || fail "web.1 did not restart"
before "web\.1 stopping (SIGTERM, restart requested)" "web\.1 started"
"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

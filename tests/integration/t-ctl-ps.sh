#!/bin/sh
# ps against a live daemon: the table and --json, each process checked
# against what /proc says about its pid.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: exec sleep 600
worker: exec sleep 601
once: exit 3
P
cat >formation.ini <<'P'
[process.once]
restart = never
P
start_detached -t 1 -m web=2
wait_for '[ "$(ps_field once.1 state)" = exited ]' 5 ||
    fail "once.1 never exited: $(cat "$T/ps.json")"

# --json: every field, for every process.
now=$(date +%s)
python3 - "$T/ps.json" "$now" >check.out 2>&1 <<'PY' || fail "$(cat check.out)"
import json, sys, datetime
d = json.load(open(sys.argv[1]))
now = int(sys.argv[2])
assert d["release"] == "v1", d["release"]
p = {x["name"]: x for x in d["processes"]}
assert sorted(p) == ["once.1", "web.1", "web.2", "worker.1"], sorted(p)
ports = {"web.1": 5000, "web.2": 5001, "worker.1": 5100, "once.1": 5200}
for name, x in p.items():
    assert x["type"] == name.split(".")[0], x
    assert x["port"] == ports[name], x
    assert x["restarts"] == 0, x
    assert x["release"] == "v1", x
    if name == "once.1":
        assert x["state"] == "exited", x
        assert x["pid"] is None and x["started_at"] is None, x
        assert x["last_exit"] == 3, x
        assert x["last_exit_signal"] is None, x
        assert x["shell"] is True, x
        continue
    assert x["state"] == "running", x
    assert isinstance(x["pid"], int) and x["pid"] > 1, x
    assert x["last_exit"] is None, x
    assert x["last_exit_signal"] is None, x
    assert x["shell"] is False, x
    t = datetime.datetime.strptime(x["started_at"], "%Y-%m-%dT%H:%M:%SZ")
    t = int(t.replace(tzinfo=datetime.timezone.utc).timestamp())
    assert now - 60 <= t <= now + 1, (x, now)
    # The pid is the process that runs it: its PS and PORT say so.
    env = open("/proc/%d/environ" % x["pid"], "rb").read().split(b"\0")
    assert ("PS=" + name).encode() in env, (name, env)
    assert ("PORT=%d" % ports[name]).encode() in env, (name, env)
    assert b"FORMATION_RELEASE=v1" in env, (name, env)
print("ok")
PY

# The table: a header, then one row per process with the same facts.
"$FORMATION" ps >ps.out 2>ps.err
assert_eq 0 $? "ps status"
assert_eq "" "$(cat ps.err)" "ps stderr"
assert_eq "release v1, 4 processes" "$(head -n 1 ps.out)" "ps first line"
assert_grep '^NAME  *STATE  *PID  *UPTIME  *CPU%  *RSS  *RESTARTS  *PORT  *LAST EXIT  *COMMAND$' \
    ps.out
for name in web.1 web.2 worker.1; do
	pid=$(ps_field $name pid)
	assert_eq "$name" "$(env_of "$pid" PS)" "PS of pid $pid"
	grep -q "^$name  *running  *$pid  *[0-9][0-9]*s  *[-0-9.]*  *[0-9.]*[KM]  *0  *[0-9]*  *-  *exec sleep 60[01]$" \
	    ps.out || fail "no row for $name (pid $pid) in: $(cat ps.out)"
done
# exit 3 is the shell's (a builtin): its status is marked so.
assert_grep '^once\.1  *exited  *-  *-  *-  *-  *0  *5200  *status 3\*  *exit 3$' ps.out
assert_eq 6 "$(wc -l <ps.out | tr -d ' ')" "lines of ps"

# Usage errors.
"$FORMATION" ps --bogus >/dev/null 2>err
assert_eq 2 $? "ps --bogus status"
assert_grep '^usage: formation ps \[--json\]$' err
"$FORMATION" ps extra >/dev/null 2>err
assert_eq 2 $? "ps extra status"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

#!/bin/sh
# logs for people and for scripts: --no-timestamps, --timestamps=iso
# (RFC 3339 with milliseconds), --json (one object a line), --since a
# duration or a time, alone and with -n and -f.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

# web says "early", waits for the file go, says "late", waits for go2,
# says "later"; its first line holds what JSON must escape.
cat >Procfile <<'P'
web: printf 'a "quoted"\ttab \\ and \377 byte\n'; echo early; while [ ! -e go ]; do sleep 0.05; done; echo late; while [ ! -e go2 ]; do sleep 0.05; done; echo later; exec sleep 600
P
start_detached
wait_for '"$FORMATION" logs web | grep -q "| early$"' 10 ||
    fail "early never logged"

# --no-timestamps: the name first.
"$FORMATION" logs --no-timestamps web >out 2>err
assert_eq 0 $? "logs --no-timestamps status"
assert_eq "" "$(cat err)" "logs --no-timestamps stderr"
assert_grep '^web\.1  *| early$' out
assert_eq "$(grep -c . out)" "$(grep -c '^web\.1  *| ' out)" \
    "every line begins with the name"
assert_eq "$("$FORMATION" logs --timestamps=none web)" "$(cat out)" \
    "--timestamps=none"

# --timestamps=iso: the date and local time to the millisecond, with
# the zone's offset as date(1) gives it.
day=$(date +%Y-%m-%d)
"$FORMATION" logs --timestamps=iso web >out 2>err
assert_eq 0 $? "logs --timestamps=iso status"
iso='[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]\{3\}'
zone=$(date +%:z)
grep -q "^${iso}${zone} web\.1  *| early\$" out ||
    fail "no ISO line for early with offset $zone: $(cat out)"
grep -q "^$day\|^$(date +%Y-%m-%d)" out || fail "not today: $(cat out)"
"$FORMATION" logs --timestamps=bogus web >out 2>err
assert_eq 2 $? "--timestamps=bogus status"
assert_grep "^formation: bad --timestamps 'bogus' (clock, iso or none)$" err

# --json: one object a line, what Python's json reads back whole.
"$FORMATION" logs --json >out 2>err
assert_eq 0 $? "logs --json status"
assert_eq "" "$(cat err)" "logs --json stderr"
python3 - out <<'PY' || fail "logs --json: $(cat out)"
import json, sys, datetime
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
objs = [json.loads(l) for l in lines]
assert len(objs) >= 4, objs
for o in objs:
    assert set(o) == {"time", "process", "text"}, o
    t = datetime.datetime.strptime(o["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
    age = datetime.datetime.utcnow() - t
    assert datetime.timedelta(0) <= age < datetime.timedelta(minutes=5), o
web = [o["text"] for o in objs if o["process"] == "web.1"]
assert web[:2] == ['a "quoted"\ttab \\ and \ufffd byte', "early"], web
assert any(o["process"] == "system" and o["text"].startswith("web.1 started")
           for o in objs), objs
PY

# --since: a time between early and late shows late only.
mid=$(date +%Y-%m-%dT%H:%M:%S.%3N%:z)
touch go
wait_for '"$FORMATION" logs web | grep -q "| late$"' 10 ||
    fail "late never logged"
"$FORMATION" logs --no-timestamps --since "$mid" web >out 2>err
assert_eq 0 $? "logs --since $mid status"
# The name column as wide as the names printed: web.1 alone.
assert_eq "web.1 | late" "$(cat out)" "logs --since $mid"
# A duration: 10m is all of it; 0s is nothing yet.
"$FORMATION" logs --no-timestamps --since 10m web >out
assert_eq "early late" "$(grep -o 'early$\|late$' out | tr '\n' ' ' |
    sed 's/ $//')" "logs --since 10m"
assert_eq "" "$("$FORMATION" logs --since 0s web)" "logs --since 0s"
# With -n: the last N of those.
assert_eq "web.1 | late" "$("$FORMATION" logs --no-timestamps --since 1h \
    -n 1)" "logs --since 1h -n 1"
"$FORMATION" logs --since yesterday >out 2>err
assert_eq 2 $? "--since yesterday status"
assert_grep "^formation: bad time 'yesterday' (a duration as 10m" err

# -f --json --since: from then on, and what comes after, as it comes.
"$FORMATION" logs -f --json --since "$mid" web >follow 2>&1 &
fpid=$!
wait_for 'grep -q "\"late\"" follow' 10 || fail "follow: no late: $(cat follow)"
touch go2
wait_for 'grep -q "\"later\"" follow' 10 ||
    fail "follow: no later: $(cat follow)"
kill "$fpid"
wait "$fpid" 2>/dev/null
python3 -c '
import json, sys
texts = [json.loads(l)["text"] for l in open(sys.argv[1])]
assert texts == ["late", "later"], texts' follow || fail "follow: $(cat follow)"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

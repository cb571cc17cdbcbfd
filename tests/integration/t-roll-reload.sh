#!/bin/sh
# reload rolls, per type roll (1) instances at a time, each next one
# only once the one before is ready on the new release: with a ready
# check, by default, the new instance started beside the old one, on a
# port that no instance has, and the old one stopped once the new one is
# ready; with overlap = false in place (stopped, then started again on
# its PORT). An instance that is
# not ready stops the roll: the others run on, untouched, the release is
# marked failed, reload exits 1 naming the instance, and the formation
# is back on the release before. --parallel 2 takes two at a time.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 3) || skip "no free port"

cat >Procfile <<P
web: exec python3 $TESTS_TOP/tests/integration/readysrv.py \${MODE:-tcp} \${GO:-go}
P
cat >formation.ini <<'I'
[process.web]
ready = tcp
ready_timeout = 4
overlap = false
I
touch go
start_detached -p "$base" -m web=2
log=.formation/formation.log

# The events of the roll, in the order they were logged, from the line
# that says it began (before, event_line: lib.sh).
events() {
	sed -n "/reloading: $roll/,\$p" "$log" | sed 's/^[0-9:]* system *| //'
}
pids() {
	echo "$(ps_field web.1 pid) $(ps_field web.2 pid)"
}
states() {
	ps_json '" ".join(x["name"] + "=" + x["state"] + "@" + x["release"] + ":" + str(x["port"]) for x in d["processes"])'
}

# In place: web.2 is stopped only once web.1 is ready again.
old=$(pids)
echo A=1 >.env
"$FORMATION" reload >out 2>err || fail "reload: $(cat err)"
assert_eq "reloaded: v2 (2 processes restarting)" "$(cat out)" "reload"
roll="v1 -> v2"
set -- $(pids)
new1=$1 new2=$2
before "web\.1 stopping (SIGTERM, reload)" "web\.1 started (pid $new1)"
before "web\.1 started (pid $new1)" "web\.1 ready (tcp :$base, "
before "web\.1 ready (tcp :$base, " "web\.2 stopping (SIGTERM, reload)"
before "web\.2 ready (tcp :$((base + 1)), " "reloaded: v2"
assert_eq "web.1=running@v2:$base web.2=running@v2:$((base + 1))" \
    "$(states)" "after the roll"

# Not ready: the roll stops at web.1, web.2 is untouched, and web.1 is
# back on v2.
echo GO=never >.env
"$FORMATION" reload >out 2>err
assert_eq 1 $? "reload status when web.1 is not ready"
roll="v2 -> v3"
assert_grep "^formation: reload failed: web\.1 was not ready: not ready within 4s (tcp :$base)\$" err
assert_grep "^formation: v3 is marked failed; v2 is current" err
assert_eq "$new2" "$(ps_field web.2 pid)" "web.2 after the failed roll"
[ -z "$(event_line "web\.2 stopping")" ] || fail "web.2 was rolled: $(events)"
wait_for '[ "$(states)" = "web.1=running@v2:$base web.2=running@v2:$((base + 1))" ]' ||
    fail "not back on v2: $(states)"
assert_eq v2 "$(ps_json 'd["release"]')" "current release"
"$FORMATION" releases >rel.out || fail "releases failed"
assert_grep '^v3  .*\[failed\]$' rel.out
assert_grep '^v2  .*  \*  ' rel.out

# Two at a time: both are stopped before either is ready again.
echo B=2 >.env
"$FORMATION" reload --parallel 2 >out 2>err ||
    fail "reload --parallel 2: $(cat err)"
roll="v2 -> v4"
before "web\.2 stopping (SIGTERM, reload)" "web\.1 ready"
before "web\.1 stopping (SIGTERM, reload)" "web\.2 ready"
"$FORMATION" reload --parallel 0 >out 2>err
assert_eq 2 $? "reload --parallel 0"

# ready = notify, and so overlap: the new one beside the old, on the
# port no instance has, then the next on the port the first one left.
cat >formation.ini <<'I'
[process.web]
ready = notify
ready_timeout = 4
I
echo MODE=notify >.env
old=$(pids)
"$FORMATION" reload >out 2>err || fail "reload with overlap: $(cat err)"
roll="v4 -> v5"
set -- $(pids)
new1=$1 new2=$2
set -- $old
before "web\.1 starting beside pid $1, on port $((base + 2))" "web\.1 started (pid $new1)"
before "web\.1 started (pid $new1)" "web\.1 ready (notify, "
before "web\.1 ready (notify, " "web\.1 stopping (SIGTERM, replaced by pid $new1)"
before "web\.1 stopping (SIGTERM, replaced" "web\.2 starting beside pid $2, on port $base"
before "web\.2 starting beside pid $2, on port $base" "web\.2 started (pid $new2)"
before "web\.2 ready (notify, " "web\.2 stopping (SIGTERM, replaced by pid $new2)"
alive "$1" && fail "the old web.1 (pid $1) lives on"
assert_eq "web.1=running@v5:$((base + 2)) web.2=running@v5:$base" \
    "$(states)" "after the roll with overlap"

# The next roll: the ports move on among the three, no further.
printf 'MODE=notify\nC=1\n' >.env
"$FORMATION" reload >out 2>err || fail "second reload with overlap: $(cat err)"
assert_eq "web.1=running@v6:$((base + 1)) web.2=running@v6:$((base + 2))" \
    "$(states)" "after the second roll with overlap"
set -- $(pids)
new1=$1 new2=$2

# With overlap, a new instance not ready leaves the old ones as they were.
printf 'MODE=notify\nGO=never\n' >.env
"$FORMATION" reload >out 2>err
assert_eq 1 $? "reload status with overlap when web.1 is not ready"
assert_grep "^formation: reload failed: web\.1 was not ready: not ready within 4s (notify)\$" err
wait_for '[ "$(ps_json "len(d[\"processes\"])")" = 2 ]' ||
    fail "the new web.1 stayed: $(states)"
assert_eq "$new1 $new2" "$(pids)" "pids after the failed roll with overlap"
assert_eq "web.1=running@v6:$((base + 1)) web.2=running@v6:$((base + 2))" \
    "$(states)" "after the failed roll with overlap"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors

# The release phase: a Procfile type named release runs once per new
# release, as release.1 of that release, before the formation (or the
# roll onto it) starts; a failure leaves the running release untouched,
# is said by reload and marked by releases; --no-release-phase skips it;
# release is no type of the formation.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'EOF'
web: echo "web $FORMATION_RELEASE" >>order; exec sleep 1000
release: echo "release $FORMATION_RELEASE $PS $GREETING" >>order; echo migrating
EOF
echo GREETING=hello >.env

running_on() {	# version
	wait_for "[ \"\$(ps_field web.1 release)\" = $1 ] &&
	    [ \"\$(ps_field web.1 state)\" = running ]" ||
	    fail "web.1 is not running on $1"
}

start_up -t 1
running_on v1
assert_eq "release v1 release.1 hello|web v1" "$(tr '\n' '|' <order |
    sed 's/|$//')" "the phase, then the formation"
assert_grep 'release\.1 | migrating$' up.log
assert_grep 'release phase of v1 passed' up.log
stop_up
assert_eq 0 "$UP_STATUS" "up's status"

# The same release again: no phase.
: >order
start_up -t 1
running_on v1
assert_eq "web v1" "$(cat order)" "up on unchanged files"

# A new release: its phase, then the roll.
echo GREETING=bye >.env
: >order
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "release phase of v2 passed
reloaded: v2 (1 process restarting)" "$(cat reload.out)" "reload's answer"
running_on v2
assert_eq "release v2 release.1 bye|web v2" "$(tr '\n' '|' <order |
    sed 's/|$//')" "the phase before the roll"
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v2 is current" "$(cat reload.out)" "no new release"

# A failing phase: the formation runs on, untouched.
pid=$(ps_field web.1 pid)
cat >Procfile <<'EOF'
web: echo "web $FORMATION_RELEASE" >>order; exec sleep 1000
release: echo "boom on $FORMATION_RELEASE"; exit 3
EOF
"$FORMATION" reload >reload.out 2>&1
assert_eq 1 $? "status of a reload whose phase failed"
assert_eq "formation: release phase of v3 failed: exited with status 3 (the shell's: that of the last command it ran); v2 is still running
formation: release.1 | boom on v3" "$(cat reload.out)" "reload's answer"
assert_eq "$pid" "$(ps_field web.1 pid)" "web.1's pid"
assert_eq v2 "$(ps_field web.1 release)" "web.1's release"
assert_eq v2 "$(ps_json 'd["release"]')" "the current release"
"$FORMATION" releases >rel.out || fail "releases failed"
assert_grep '^v3  .*reload: release command changed \[failed\]$' \
    rel.out
assert_grep '^v2  .*  \*  ' rel.out
assert_grep '^status failed$' .formation/releases/v3.release
"$FORMATION" logs release.1 >logs.out || fail "logs release.1 failed"
assert_grep 'release\.1 | boom on v3$' logs.out

# --no-release-phase: live at once.
: >order
"$FORMATION" reload --no-release-phase >reload.out 2>&1 ||
    fail "reload --no-release-phase: $(cat reload.out)"
assert_eq "reloaded: v4 (1 process restarting)" "$(cat reload.out)" \
    "reload --no-release-phase"
running_on v4
assert_eq "web v4" "$(cat order)" "no phase"

# A rollback runs the phase of what it brings back.
: >order
"$FORMATION" rollback v2 >rb.out 2>&1 || fail "rollback: $(cat rb.out)"
assert_eq "release phase of v5 passed
rolled back to v2: v5 (1 process restarting)" "$(cat rb.out)" "rollback"
running_on v5
assert_eq "release v5 release.1 bye|web v5" "$(tr '\n' '|' <order |
    sed 's/|$//')" "the phase of a rollback"

# A phase over its time is stopped, and failed.
cat >Procfile <<'EOF'
web: echo "web $FORMATION_RELEASE" >>order; exec sleep 1000
release: exec sleep 30
EOF
printf '[release]\ntimeout = 0.5\n' >formation.ini
"$FORMATION" reload >reload.out 2>&1
assert_eq 1 $? "status of a reload whose phase timed out"
assert_grep '^formation: release phase of v6 failed: timed out after 0.5 s; v5 is still running$' \
    reload.out
running_on v5

# Counts and scale cannot name it.
"$FORMATION" scale release=1 >scale.out 2>&1
assert_eq 1 $? "status of scale release=1"
assert_grep "'release' is the release phase, not a process of the formation" \
    scale.out
stop_up
assert_no_survivors

"$FORMATION" up -t 1 release >up2.out 2>&1
assert_eq 78 $? "status of up release"
assert_grep "formation: 'release' is the release phase, not a process of the formation: it runs once before each new release goes live (see procfile(5))" up2.out
"$FORMATION" up -t 1 -m release=1 >up2.out 2>&1
assert_eq 78 $? "status of up -m release=1"
assert_grep "^formation: -m: 'release' is the release phase" up2.out

# At up, a failing phase ends the daemon with its status; nothing runs.
cat >Procfile <<'EOF'
web: echo "web $FORMATION_RELEASE" >>order; exec sleep 1000
release: echo no way; exit 7
EOF
: >formation.ini
: >order
"$FORMATION" up -d -t 1 >up2.out 2>&1
assert_eq 7 $? "status of up -d whose phase failed"
assert_grep "the release phase of v7 failed: exited with status 7 (the shell's: that of the last command it ran); the formation was not started" \
    up2.out
assert_eq "" "$(cat order)" "what ran"
assert_no_survivors

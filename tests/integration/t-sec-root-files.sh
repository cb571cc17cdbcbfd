#!/bin/sh
# A daemon run by root refuses to run files that another uid owns or that
# group or others may write (the Procfile, an env file, formation.ini),
# naming the file, the reason and the fix; trust_others = true under
# [security] in a formation.ini of root's, or --trust-others, accepts
# them. A reload checks again. A daemon of another uid only warns of files
# anyone may write.
. "$(dirname "$0")/lib.sh"
need_other

printf 'web: exec sleep 600\n' >Procfile
chown $OTHER Procfile
"$FORMATION" up -d -t 1 >out 2>err
assert_eq 78 $? "up -d with nobody's Procfile: status"
assert_eq "formation: Procfile: owned by uid $OTHER (nobody), not by root: fix it with 'chown root $T/Procfile', or set trust_others (formationd(8) SECURITY)" \
    "$(cat err)" "up -d with nobody's Procfile"
[ -S .formation/formation.sock ] && fail "a socket for a refused app"

# trust_others in a formation.ini of nobody's does not vouch for itself.
printf '[security]\ntrust_others = true\n' >formation.ini
chown $OTHER formation.ini
"$FORMATION" up -d -t 1 >out 2>err
assert_eq 78 $? "up -d with nobody's formation.ini: status"
assert_grep "^formation: formation.ini: owned by uid $OTHER (nobody), not by root: fix it with 'chown root $T/formation.ini'" err
assert_grep "^formation: Procfile: owned by uid $OTHER (nobody)" err

# Root's formation.ini trusts others' files.
chown 0 formation.ini
start_detached -t 1
wait_for '[ "$(ps_field web.1 state)" = running ]' || fail "web.1 is not running"
"$FORMATION" down >/dev/null || fail "down failed"
rm formation.ini

# So does --trust-others; and a reload checks again.
start_detached -t 1 --trust-others
"$FORMATION" reload >out 2>err || fail "reload with --trust-others: $(cat err)"
"$FORMATION" down >/dev/null || fail "down failed"
chown 0 Procfile
start_detached -t 1
old=$(ps_field web.1 pid)
printf 'A=1\n' >.env
chmod 664 .env
"$FORMATION" reload >out 2>err
assert_eq 78 $? "reload with a group-writable .env: status"
assert_eq "formation: .env: writable by group (mode 0664): fix it with 'chmod go-w $T/.env', or set trust_others (formationd(8) SECURITY)
formation: reload failed: 1 error; v1 is still running" \
    "$(cat err)" "reload with a group-writable .env"
assert_eq "$old" "$(ps_field web.1 pid)" "web.1 after the refused reload"
"$FORMATION" down >/dev/null || fail "down failed"
chmod 644 .env

# An app root that others may write: anyone could plant a .env there.
chmod 757 "$T"
"$FORMATION" up -d -t 1 >out 2>err
assert_eq 78 $? "up -d in an app root others may write: status"
assert_eq "formation: $T: writable by others (mode 0757): fix it with 'chmod go-w $T', or set trust_others (formationd(8) SECURITY)" \
    "$(cat err)" "up -d in an app root others may write"
chmod 755 "$T"

# A daemon of nobody's own, on its app: a warning, and it runs.
mkdir theirs
printf 'web: exec sleep 600\n' >theirs/Procfile
chmod 666 theirs/Procfile
cp "$FORMATION" "$FORMATIOND" theirs/
chown -R $OTHER theirs
(cd theirs && as_other ./formation up -d -t 1) >out 2>err ||
    fail "up -d as nobody: $(cat err)"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' out)
assert_eq "formation: warning: Procfile: writable by others (mode 0666): anyone may change what runs; fix it with 'chmod o-w $T/theirs/Procfile'" \
    "$(cat err)" "up -d as nobody with a Procfile anyone may write"
(cd theirs && as_other ./formation down) >/dev/null || fail "down as nobody"
assert_no_survivors
exit 0

# ExecStart= and ExecReload= run the installed programs (found on PATH
# at export time, or --formationd), with a warning for a program in a
# home or a build tree.
. /opt/formation/tests/systemd/lib.sh

make_app paths 'web: exec sleep 1000'
out=$(cd "$ROOT" && formation export systemd - 2>/tmp/err.$$) || fail "export"
[ -s /tmp/err.$$ ] && fail "a warning for an installed formation: $(cat /tmp/err.$$)"
echo "$out" | grep -q '^ExecStart=/usr/local/bin/formationd -C /srv/paths ' ||
	fail "ExecStart: $(echo "$out" | grep ExecStart)"
echo "$out" | grep -q '^ExecReload=/usr/local/bin/formation --socket ' ||
	fail "ExecReload: $(echo "$out" | grep ExecReload)"

# A copy in a build tree, and one in a home.
mkdir -p /srv/src/build && touch /srv/src/Makefile &&
	cp /usr/local/bin/formationd /usr/local/bin/formation /srv/src/build/
out=$(cd "$ROOT" && formation export systemd --formationd /srv/src/build/formationd - 2>/tmp/err.$$) ||
	fail "export --formationd"
echo "$out" | grep -q '^ExecStart=/srv/src/build/formationd ' ||
	fail "ExecStart of --formationd: $(echo "$out" | grep ExecStart)"
echo "$out" | grep -q '^ExecReload=/srv/src/build/formation ' ||
	fail "ExecReload of --formationd: $(echo "$out" | grep ExecReload)"
assert_eq "formation: warning: the unit runs '/srv/src/build/formationd', in a build tree; install formation, or give --formationd" \
    "$(cat /tmp/err.$$)" "the warning for a build tree"
mkdir -p /home/deploy/bin && cp /usr/local/bin/formationd /home/deploy/bin/
out=$(cd "$ROOT" && PATH=/home/deploy/bin:$PATH formation export systemd - 2>/tmp/err.$$) ||
	fail "export with formationd in a home"
grep -q "warning: the unit runs '/home/deploy/bin/formationd', in a home directory" /tmp/err.$$ ||
	fail "no warning for a home: $(cat /tmp/err.$$)"
echo "$out" | grep -q '^ExecReload=/usr/local/bin/formation ' ||
	fail "ExecReload not the one on PATH: $(echo "$out" | grep ExecReload)"
out=$(cd "$ROOT" && PATH=/nowhere /usr/local/bin/formation export systemd - 2>&1)
assert_eq 1 $? "exit status without formationd on PATH"
assert_eq "formation: export: cannot find 'formationd' on PATH: install formation, or give --formationd" \
    "$out" "the message"
rm -rf /srv/src /home/deploy/bin /tmp/err.$$
exit 0

#!/bin/sh
# A state directory planted by another user is refused. In an app root
# that others may write, nobody makes .formation a link to a directory of
# its own, or makes it a directory of its own: a daemon run by root says
# so, and writes nothing there (no socket, lock, log or release). Trusting
# others' files (--trust-others) never extends to the state directory.
. "$(dirname "$0")/lib.sh"
need_other

chmod 755 "$T"
mkdir -m 1777 shared shared/app
printf 'web: exec sleep 600\n' >shared/app/Procfile
as_other mkdir shared/theirs || fail "nobody cannot mkdir"
as_other ln -s "$T/shared/theirs" shared/app/.formation || fail "ln as nobody"

refused() {	# what [up options]
	_what=$1
	shift
	(cd shared/app && "$FORMATION" up -d -t 1 "$@") >out 2>err
	_rc=$?
	assert_eq 78 "$_rc" "up -d with $_what: status"
	assert_eq "formation: .formation: owned by uid $OTHER (nobody), not by root: refusing to use it" \
	    "$(head -n 1 err)" "up -d with $_what"
	assert_eq "" "$(ls -A shared/theirs)" "what up -d with $_what wrote in nobody's directory"
	assert_no_survivors
}

refused "nobody's link"
# The app root others may write is refused as well, on a line of its own.
assert_grep "^formation: $T/shared/app: writable by group and others (mode 1777): fix it with 'chmod go-w $T/shared/app'" err
refused "nobody's link, --trust-others" --trust-others
[ "$(wc -l <err)" -eq 1 ] || fail "--trust-others: more than the state directory refused: $(cat err)"

# A directory of nobody's own, not a link.
as_other rm shared/app/.formation || fail "rm as nobody"
as_other mkdir -m 777 shared/app/.formation || fail "mkdir as nobody"
as_other rmdir shared/theirs || fail "rmdir as nobody"
as_other ln -s "$T/shared/app/.formation" shared/theirs || fail "ln as nobody"
refused "nobody's directory" --trust-others
[ -e shared/app/.formation/formation.sock ] && fail "a socket in nobody's .formation"

# Our own link is not followed either.
rm -f shared/theirs
as_other rmdir shared/app/.formation || fail "rmdir as nobody"
mkdir -m 700 mine
ln -s "$T/mine" shared/app/.formation
(cd shared/app && "$FORMATION" up -d -t 1 --trust-others) >out 2>err
assert_eq 78 $? "up -d with our own link: status"
assert_eq "formation: .formation: a symbolic link: refusing to follow it" \
    "$(cat err)" "up -d with our own link"
assert_eq "" "$(ls -A mine)" "what up -d wrote through our own link"

# Once it is gone, and the app root is no one else's, up works and makes
# .formation its own, mode 0700.
rm shared/app/.formation
chmod 755 shared/app
(cd shared/app && "$FORMATION" up -d -t 1) >out 2>err ||
    fail "up -d in a clean app: $(cat err)"
DAEMON_PID=$(sed -n 's/^formation is up (pid \([0-9]*\)).*/\1/p' out)
assert_eq "700 directory 0" "$(stat -c '%a %F %u' shared/app/.formation)" \
    ".formation"
(cd shared/app && "$FORMATION" down) >/dev/null || fail "down failed"
assert_no_survivors

# systemd's directories, when they are nobody's, the same.
as_other mkdir shared/rt shared/st || fail "mkdir as nobody"
(cd shared/app && RUNTIME_DIRECTORY=$T/shared/rt "$FORMATION" up -d -t 1) \
    >out 2>err
assert_eq 1 $? "up -d with nobody's \$RUNTIME_DIRECTORY: status"
assert_eq "formation: $T/shared/rt: owned by uid $OTHER (nobody), not by root: refusing to use it" \
    "$(cat err)" "up -d with nobody's \$RUNTIME_DIRECTORY"
(cd shared/app && STATE_DIRECTORY=$T/shared/st "$FORMATION" up -d -t 1) \
    >out 2>err
assert_eq 78 $? "up -d with nobody's \$STATE_DIRECTORY: status"
assert_eq "formation: $T/shared/st: owned by uid $OTHER (nobody), not by root: refusing to use it" \
    "$(cat err)" "up -d with nobody's \$STATE_DIRECTORY"
assert_eq "" "$(ls -A shared/rt shared/st | grep -v ':$' | grep .)" \
    "what up -d wrote in nobody's systemd directories"
assert_no_survivors
exit 0

#!/bin/sh
# The state directory is 0700 with a .gitignore of "*", the socket 0600,
# whatever the umask; a looser existing directory is tightened, and a
# .gitignore the user edited is left alone.
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 600\n' >Procfile
umask 000
start_detached -t 1
umask 022
assert_eq "700 directory" "$(stat -c '%a %F' .formation)" ".formation"
assert_eq "600 socket" "$(stat -c '%a %F' .formation/formation.sock)" \
    "the socket"
assert_eq "$(id -u)" "$(stat -c %u .formation/formation.sock)" \
    "owner of the socket"
grep -qx '\*' .formation/.gitignore || fail ".gitignore: $(cat .formation/.gitignore)"
assert_eq "" "$(find .formation ! -type d -perm /077)" \
    "files in .formation others may read"
# git, if it is there, agrees that nothing in it is to be committed.
if command -v git >/dev/null; then
	git init -q . && git add -A . && git ls-files >files ||
	    fail "git add failed"
	assert_grep '^Procfile$' files
	assert_no_grep '^\.formation' files
fi
"$FORMATION" down >/dev/null || fail "down failed"

rm -rf .formation .git
mkdir -m 755 .formation
printf '# mine\n*\n!keep\n' >.formation/.gitignore
start_detached -t 1
assert_eq 700 "$(stat -c %a .formation)" "a 0755 .formation, tightened"
assert_eq "# mine
*
!keep" "$(cat .formation/.gitignore)" "the user's .gitignore"
"$FORMATION" down >/dev/null || fail "down failed"

# A file where the directory should be: a clear refusal.
rm -rf .formation
echo x >.formation
"$FORMATION" up -d >out 2>err
assert_eq 1 $? "up -d with a file .formation: status"
assert_grep "cannot create '$T/.formation'" err
assert_no_survivors
exit 0

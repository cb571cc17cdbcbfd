#!/bin/sh
# Only release files the daemon wrote are loaded: regular files of its
# own uid, mode 0600. Valid release files planted in releases/ (another
# uid's, or readable by others), a link, a FIFO and a file of another
# name are each named in a warning and ignored: the history keeps only
# the daemon's own, and a rollback to a planted version is refused.
. "$(dirname "$0")/lib.sh"
need_other

mkdir app evil
printf 'web: exec sleep 600\n' >app/Procfile
cd app && start_detached -t 1 && "$FORMATION" down >/dev/null && cd "$T" ||
    fail "first up of app"
# Valid releases, v1 to v3, of an app that runs something else.
for n in 1 2 3; do
	printf 'web: echo PLANTED %s; exec sleep 600\n' $n >evil/Procfile
	"$FORMATION" -C evil up -d -t 1 >out 2>&1 || fail "up of evil: $(cat out)"
	"$FORMATION" -C evil down >/dev/null || fail "down of evil"
done
rel=app/.formation/releases
cp evil/.formation/releases/v2.release evil/.formation/releases/v3.release $rel/
chown $OTHER $rel/v2.release
chmod 644 $rel/v3.release
ln -s "$T/evil/.formation/releases/v3.release" $rel/v4.release
mkfifo -m 600 $rel/v5.release
printf 'junk\n' >$rel/notes.txt

cd app || fail "cd app"
start_detached -t 1
r=$T/$rel
for w in "v2.release: owned by uid $OTHER (nobody), not by root: ignored" \
    "v3.release: mode 0644, not 0600: ignored" \
    "v4.release: a symbolic link: ignored" \
    "v5.release: not a regular file: ignored" \
    "notes.txt: not a release file: ignored"; do
	assert_grep "^formation: $r/$w\$" "$T/up-d.out"
done
"$FORMATION" releases --json >"$T/rel.json" || fail "releases --json"
assert_eq "['v1']" "$(python3 -c 'import json, sys
print([r["version"] for r in json.load(open(sys.argv[1]))])' "$T/rel.json")" \
    "the versions in the history"
"$FORMATION" rollback v2 >out 2>err
assert_eq 1 $? "rollback to a planted version: status"
assert_no_grep PLANTED .formation/formation.log
"$FORMATION" down >/dev/null || fail "down failed"
# What was planted is left as it was, for a look.
assert_eq "$OTHER 644" "$(stat -c %u $r/v2.release) $(stat -c %a $r/v3.release)" \
    "the planted files"
assert_no_survivors
exit 0

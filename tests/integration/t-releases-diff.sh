# Each release records why it was made and how it differs from the one
# before; releases lists it, releases diff and releases show say it in
# full (the values of the environment only with --values), the same with
# the daemon up and with none. The files hold secrets: mode 0600 in 0700
# directories, whatever the umask.
. "$(dirname "$0")/lib.sh"

umask 000
printf 'web: exec sleep 1000\n' >Procfile
printf 'DEBUG=0\nSECRET=hunter2\n' >.env
# The app's own files writable by no one else, or a daemon of root
# refuses them (formationd(8) SECURITY).
chmod 644 Procfile .env
start_detached -t 1

printf 'web: exec sleep 1001\nworker: exec sleep 1002\n' >Procfile
printf 'DEBUG=1\nSECRET=hunter3\nNEW=x\n' >.env
printf '[process.web]\ntty = true\n' >formation.ini
chmod 644 formation.ini
"$FORMATION" reload >out 2>&1 || fail "reload: $(cat out)"
"$FORMATION" rollback v1 >out 2>&1 || fail "rollback: $(cat out)"

for f in .formation .formation/releases; do
	assert_eq 700 "$(stat -c %a "$f")" "mode of $f"
done
for f in .formation/releases/*; do
	assert_eq 600 "$(stat -c %a "$f")" "mode of $f"
done
assert_eq "v1.release v2.release v3.release" \
    "$(ls .formation/releases | tr '\n' ' ' | sed 's/ $//')" "the history"

# Every view, first from the daemon, then from the files alone.
views() {
	"$FORMATION" releases >"$1.list" 2>&1 || fail "releases: $(cat "$1.list")"
	"$FORMATION" releases --json >"$1.json" 2>&1 || fail "releases --json"
	"$FORMATION" releases diff v1 v2 >"$1.diff" 2>&1 || fail "diff"
	"$FORMATION" releases diff --values v1 v2 >"$1.values" 2>&1 ||
	    fail "diff --values"
	"$FORMATION" releases show v2 >"$1.show" 2>&1 || fail "show"
	"$FORMATION" releases show --values 3 >"$1.showv" 2>&1 ||
	    fail "show --values"
}
views up
"$FORMATION" down >/dev/null || fail "down failed"
wait_for "! alive $DAEMON_PID" || fail "the daemon did not end"
views files
for v in list json diff values show showv; do
	cmp -s "up.$v" "files.$v" ||
	    fail "releases $v differs without the daemon: $(diff "up.$v" "files.$v")"
done

d1="up: first release"
d2="reload: DEBUG, SECRET changed; NEW added; web command changed; worker added; web tty false -> true"
d3="rollback of v1: DEBUG, SECRET changed; NEW removed; web command changed; worker removed; web tty true -> false"
assert_grep '^VERSION  *CREATED  *CURRENT  *CODE  *PROCESSES  *ENV KEYS  *DESCRIPTION$' up.list
assert_grep "^v1  .*  web  *2  *$d1\$" up.list
assert_grep "^v2  .*  web, worker  *3  *$d2\$" up.list
assert_grep "^v3  .* \\*  *none  *web  *2  *$d3\$" up.list
python3 - "$d1" "$d2" "$d3" <<'EOF' || fail "bad json: $(cat up.json)"
import json, sys
d = json.load(open("up.json"))
assert [r["description"] for r in d] == sys.argv[1:], d
assert [r["reason"] for r in d] == ["up", "reload", "rollback of v1"], d
assert d[1]["summary"] == sys.argv[2].split(": ", 1)[1], d[1]
EOF

cat >want.diff <<'EOF'
process web: changed: "exec sleep 1000" -> "exec sleep 1001"
process worker: added: "exec sleep 1002"
setting web tty: changed: "false" -> "true"
env DEBUG: changed
env SECRET: changed
env NEW: added
EOF
cmp -s want.diff up.diff || fail "releases diff: $(diff want.diff up.diff)"
cat >want.values <<'EOF'
process web: changed: "exec sleep 1000" -> "exec sleep 1001"
process worker: added: "exec sleep 1002"
setting web tty: changed: "false" -> "true"
env DEBUG: changed: "0" -> "1"
env SECRET: changed: "hunter2" -> "hunter3"
env NEW: added: "x"
EOF
cmp -s want.values up.values ||
    fail "releases diff --values: $(diff want.values up.values)"

assert_no_grep hunter up.show
assert_grep '^version: v2$' up.show
assert_grep '^reason: reload$' up.show
assert_grep "^summary: ${d2#reload: }\$" up.show
assert_grep '^code: none$' up.show
assert_grep '^process worker: "exec sleep 1002" (Procfile:2)$' up.show
assert_grep '^setting web tty: true$' up.show
assert_grep '^env SECRET: \.env:2$' up.show
assert_grep '^version: v3 (current)$' up.showv
assert_grep '^env SECRET: "hunter2" (\.env:2)$' up.showv

"$FORMATION" releases diff v2 v2 >out 2>&1
assert_eq "v2 and v2 have the same content" "$(cat out)" "a release and itself"
"$FORMATION" releases diff v1 v9 >out 2>&1
assert_eq 1 $? "status of a diff with an unknown version"
assert_eq "formation: no release v9 (releases: v1, v2, v3)" "$(cat out)" \
    "an unknown version"
"$FORMATION" releases show x1 >out 2>&1
assert_eq 2 $? "status of a bad version"
"$FORMATION" releases diff v1 >out 2>&1
assert_eq 2 $? "status of a diff with one version"
assert_grep '^usage: formation releases diff \[--values\] vA vB$' out
assert_no_survivors

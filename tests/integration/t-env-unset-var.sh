#!/bin/sh
# An env file that expands a variable set nowhere gets a warning naming
# the file, the line and the variable, from check, up and reload; with
# --strict it is an error, and a failed reload leaves the running release
# alone. The expansion itself is kept (the corpus pins it).
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 1000\n' >Procfile
cat >.env <<'E'
SECRET_KEY=django-insecure-k2$x#8a=q$v(w)
PATH_OK=$PATH
B=${NOPE}
C=${NOPE:-fallback}
D='$literal'
E=$SECRET_KEY
E
unset x v NOPE
w1="warning: .env:1: '\$x' is not set: expanded to empty (single-quote the value to keep it literally)"
w2="warning: .env:1: '\$v' is not set: expanded to empty (single-quote the value to keep it literally)"
w3="warning: .env:3: '\${NOPE}' is not set: expanded to empty (single-quote the value to keep it literally)"

"$FORMATION" check >out 2>err
assert_eq 0 $? "check status"
assert_eq "formation: $w1
formation: $w2
formation: $w3" "$(cat err)" "check's warnings"

"$FORMATION" check --strict >out 2>err
assert_eq 78 $? "check --strict status"
assert_grep "^formation: .env:1: '\$x' is not set: expanded to empty" err
assert_grep "^formation: .env:3: '\${NOPE}' is not set" err

# up --strict refuses to start.
"$FORMATION" up --strict >up-strict.out 2>&1
assert_eq 78 $? "up --strict status"
grep -q ".env:1: '\$x' is not set" up-strict.out ||
    fail "up --strict: $(cat up-strict.out)"
assert_no_survivors

# up warns, and runs what the rules give.
start_detached -t 1
for w in "$w1" "$w2" "$w3"; do
	grep -qF "$w" up-d.out || fail "up -d did not warn '$w': $(cat up-d.out)"
done
"$FORMATION" env >env.out || fail "env failed"
assert_grep '^SECRET_KEY=django-insecure-k2#8a=q(w)$' env.out
assert_grep '^C=fallback$' env.out
assert_grep '^D=\$literal$' env.out

# reload warns; with --strict it fails and v1 runs on.
echo 'F=$ALSO_UNSET' >>.env
pid=$(ps_field web.1 pid)
"$FORMATION" reload --strict >reload.out 2>&1
assert_eq 78 $? "reload --strict status"
assert_grep "^formation: .env:7: '\$ALSO_UNSET' is not set" reload.out
assert_grep "reload failed: 4 errors; v1 is still running" reload.out
assert_eq "$pid" "$(ps_field web.1 pid)" "web.1 after the failed reload"
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep "^formation: warning: .env:7: '\$ALSO_UNSET' is not set: expanded to empty (single-quote the value to keep it literally)$" \
    reload.out
assert_grep "^formation: $w1\$" reload.out
assert_grep '^reloaded: v2' reload.out

# Single-quoted, the value is kept and nothing is said.
printf "SECRET_KEY='django-insecure-k2\$x#8a=q\$v(w)'\n" >.env
"$FORMATION" check >out 2>err
assert_eq "" "$(cat err)" "check of the quoted value"
"$FORMATION" down >/dev/null
DAEMON_PID=""
exit 0

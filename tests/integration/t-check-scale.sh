#!/bin/sh
# check shows how many of each type up would run, and which line of
# formation.ini (or FORMATION_SCALE) set each count.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\nworker: bin/worker\nclock: bin/clock\n' >Procfile
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status (no formation.ini)"
assert_grep '^scale: web=1 worker=1 clock=1 (3 processes)$' out
assert_grep '^  1 of each type: no \[scale\] in formation\.ini$' out

cat >formation.ini <<'EOF2'
; counts
[scale]
web = 3

all = 0
[process.worker]
timeout = 2
[scale]
worker = 2
EOF2
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status"
assert_eq "" "$(cat err)" "stderr"
assert_grep '^scale: web=3 worker=2 clock=0 (5 processes)$' out
assert_grep '^  formation\.ini:3  web = 3$' out
assert_grep '^  formation\.ini:9  worker = 2$' out
assert_grep '^  formation\.ini:5  all = 0$' out
# After the types, before the environment.
order=$(sed -n 's/^\([a-zA-Z ]*\): .*/\1/p' out | tr '\n' ,)
assert_eq "app root,settings,Procfile,scale,env," "$order" "order of the sections"

# The environment wins over formation.ini, and says so.
FORMATION_SCALE=web=1 "$FORMATION" check >out 2>err
assert_eq 0 $? "exit status (FORMATION_SCALE)"
assert_grep '^scale: web=1 worker=2 clock=0 (3 processes)$' out
assert_grep '^  FORMATION_SCALE  web=1$' out
assert_grep '^  formation\.ini:9  worker = 2$' out
exit 0

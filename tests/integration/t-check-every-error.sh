#!/bin/sh
# One run reports every error of every file, in file and line order.
. "$(dirname "$0")/lib.sh"

printf '[formation]\nbogus = 1\n' >formation.ini
printf 'web: a\nweb: b\nworker: c\nworker: d\n' >Procfile
printf 'A=1\nB="x" y\n' >.env

"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status"
got=$(sed -n 's/^formation: \([^ ]*\): .*/\1/p' err | tr '\n' ' ')
assert_eq "formation.ini:2 Procfile:2 Procfile:4 .env:2 " "$got" \
    "errors reported"
assert_eq "" "$(cat out)" "stdout"
exit 0

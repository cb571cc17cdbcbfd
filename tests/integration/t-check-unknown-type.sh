#!/bin/sh
# Settings for a type the Procfile does not define: a count in [scale] or
# FORMATION_SCALE is an error, a [process.NAME] section a warning.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\nworker: bin/worker\n' >Procfile
printf '[scale]\nweb = 2\nwbe = 1\nall = 0\n' >formation.ini
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (unknown type in [scale])"
assert_eq 1 "$(wc -l <err)" "lines on stderr"
assert_grep "^formation: formation\.ini: .*'wbe'.*web, worker" err
assert_eq "" "$(cat out)" "stdout"

printf '[scale]\nweb = 2\n' >formation.ini
FORMATION_SCALE=wrk=3 "$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (unknown type in FORMATION_SCALE)"
assert_grep "^formation: FORMATION_SCALE: .*'wrk'" err

printf '[scale]\nweb = 2\n\n[process.wrker]\ntty = true\n' >formation.ini
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status (unknown [process.NAME])"
assert_grep "^formation: warning: formation\.ini: .*wrker" err
"$FORMATION" check --strict >out 2>err
assert_eq 78 $? "exit status (unknown [process.NAME], --strict)"
exit 0

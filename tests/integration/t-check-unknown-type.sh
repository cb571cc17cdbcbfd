#!/bin/sh
# Settings for a type the Procfile does not define: a count in [scale] or
# FORMATION_SCALE is an error, a [process.NAME] section a warning, each
# naming the line of formation.ini it comes from.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\nworker: bin/worker\n' >Procfile
printf '[scale]\nweb = 2\nwbe = 1\nall = 0\n' >formation.ini
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (unknown type in [scale])"
assert_eq 1 "$(wc -l <err)" "lines on stderr"
assert_grep "^formation: formation\.ini:3: .*'wbe'.*web, worker" err
assert_eq "" "$(cat out)" "stdout"

printf '[scale]\nweb = 2\n' >formation.ini
FORMATION_SCALE=wrk=3 "$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (unknown type in FORMATION_SCALE)"
assert_grep "^formation: FORMATION_SCALE: .*'wrk'" err

printf '[scale]\nweb = 2\n\n[process.wrker]\ntty = true\n' >formation.ini
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status (unknown [process.NAME])"
assert_grep "^formation: warning: formation\.ini:4: .*wrker" err
"$FORMATION" check --strict >out 2>err
assert_eq 78 $? "exit status (unknown [process.NAME], --strict)"

# An empty section is unused too.
printf '[scale]\nweb = 2\n[process.web]\ntty = true\n\n[process.wrker]\n' \
    >formation.ini
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status (empty unknown [process.NAME])"
assert_eq 1 "$(wc -l <err)" "lines on stderr (empty section)"
assert_grep "^formation: warning: formation\.ini:6: \[process\.wrker\] is unused" err
exit 0

#!/bin/sh
# An unknown key or a bad value in formation.ini is an error naming the
# file and line.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\n' >Procfile
printf '[formation]\nport = 6000\ncolour = always\n' >formation.ini
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (unknown key)"
assert_eq 1 "$(wc -l <err)" "lines on stderr"
assert_grep '^formation: formation\.ini:3: .*colour' err
assert_eq "" "$(cat out)" "stdout"

printf '[formation]\nrestart = sometimes\n' >formation.ini
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (bad value)"
assert_grep '^formation: formation\.ini:2: ' err

printf '[formation]\ntimeout = 5\n[nonsense]\nx = 1\n' >formation.ini
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (unknown section)"
assert_grep '^formation: formation\.ini:[34]: ' err

# A good one is used and named in the summary.
printf '[formation]\nport = 6000\n\n[scale]\nweb = 2\n' >formation.ini
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status (good formation.ini)"
assert_eq "" "$(cat err)" "stderr (good formation.ini)"
assert_grep '^settings: formation\.ini$' out
exit 0

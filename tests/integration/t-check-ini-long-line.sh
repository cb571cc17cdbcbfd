#!/bin/sh
# formation.ini lines are limited to 199 bytes: a longer one is an error
# at its line, never silently cut in two.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\n' >Procfile
long=$(printf '%0250d' 0)
printf '[formation]\nprocfile = %s\n' "$long" >formation.ini
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status"
assert_grep '^formation: formation\.ini:2: ' err
assert_eq "" "$(cat out)" "stdout"

# A comment that long is still a line that long.
printf '[formation]\n# %s\nport = 6000\n' "$long" >formation.ini
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (long comment)"
assert_grep '^formation: formation\.ini:2: ' err

# A line of 150 bytes is fine.
pad=$(printf '%0130d' 0)
printf '[formation]\n# %s\nport = 6000\n' "$pad" >formation.ini
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status (150-byte line)"
exit 0

#!/bin/sh
# Text after a closing quote is an error; a comment after it is not.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\n' >Procfile
printf 'A="x" # fine\nB="x"y\n' >.env
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status"
assert_eq 1 "$(wc -l <err)" "lines on stderr"
assert_grep '^formation: \.env:2: ' err
assert_eq "" "$(cat out)" "stdout"

# A statement spanning lines is reported at its first line.
printf "A=1\nB='one\ntwo' three\n" >.env
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (multi-line value)"
assert_grep '^formation: \.env:2: ' err
exit 0

#!/bin/sh
# An unterminated quote in an env file is an error at the line where the
# statement starts, and nothing of the file is used.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\n' >Procfile
printf 'A=1\nB=2\nC="abc\nD=4\n' >.env
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (double quote)"
assert_eq 1 "$(wc -l <err)" "lines on stderr"
assert_grep '^formation: \.env:3: .*quote' err
assert_eq "" "$(cat out)" "stdout"

printf "A=1\nB='abc\n\nD=4\n" >.env
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status (single quote)"
assert_grep '^formation: \.env:2: .*quote' err
exit 0

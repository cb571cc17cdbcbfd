#!/bin/sh
# A type defined twice is an error at its second definition.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\nworker: bin/worker\n# web: old\nweb: bin/web2\n' \
    >Procfile

"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status"
assert_eq 1 "$(wc -l <err)" "lines on stderr"
assert_grep '^formation: Procfile:4: .*web' err
assert_eq "" "$(cat out)" "stdout"
exit 0

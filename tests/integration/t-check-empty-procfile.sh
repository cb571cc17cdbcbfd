#!/bin/sh
# A Procfile with no entries is refused, as a whole (no line number).
. "$(dirname "$0")/lib.sh"

: >Procfile
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status of an empty Procfile"
assert_eq 1 "$(wc -l <err)" "lines on stderr"
assert_grep '^formation: Procfile: ' err
assert_eq "" "$(cat out)" "stdout"

# Comments, blank lines and entries without a command define nothing.
printf '# web: bin/web\n\nweb:\nworker:   \n' >Procfile
"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status of a Procfile without entries"
assert_grep '^formation: Procfile: ' err
# The file-wide error comes after the warnings about its lines.
tail -n 1 err | grep -q '^formation: Procfile: ' ||
    fail "the last line is not the file-wide error: $(tail -n 1 err)"
exit 0

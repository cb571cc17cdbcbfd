#!/bin/sh
# A file named on the command line must exist; the default .env and
# formation.ini may be absent, the default Procfile may not.
. "$(dirname "$0")/lib.sh"

"$FORMATION" check >out 2>err
assert_eq 78 $? "exit status without a Procfile"
assert_eq 1 "$(wc -l <err)" "lines on stderr"
assert_grep '^formation: .*Procfile: .*No such file or directory' err

printf 'web: bin/web\n' >Procfile
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status without .env and formation.ini"

"$FORMATION" check -f Procfile.missing >out 2>err
assert_eq 78 $? "exit status of -f with a missing file"
assert_eq 1 "$(wc -l <err)" "lines on stderr (-f)"
assert_grep '^formation: .*Procfile\.missing: .*No such file or directory' err
assert_eq "" "$(cat out)" "stdout (-f)"

"$FORMATION" check -e missing.env >out 2>err
assert_eq 78 $? "exit status of -e with a missing file"
assert_grep '^formation: .*missing\.env: .*No such file or directory' err

"$FORMATION" check -c missing.ini >out 2>err
assert_eq 78 $? "exit status of -c with a missing file"
assert_grep '^formation: .*missing\.ini: .*No such file or directory' err
exit 0

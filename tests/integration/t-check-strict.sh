#!/bin/sh
# --strict makes warnings errors: exit 78, each one reported as an error.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\n\nweb : bin/other\n' >Procfile

"$FORMATION" check --strict >out 2>err
assert_eq 78 $? "exit status with --strict"
assert_eq "formation: Procfile:3: ignored line: not 'name: command'" \
    "$(cat err)" "stderr"
assert_eq "" "$(cat out)" "stdout"

# Without --strict the same app passes.
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status without --strict"
assert_grep '^formation: warning: Procfile:3: ' err

# A clean app passes --strict.
printf 'web: bin/web\n' >Procfile
"$FORMATION" check --strict >out 2>err
assert_eq 0 $? "exit status of a clean app with --strict"
assert_eq "" "$(cat err)" "stderr of a clean app"
exit 0

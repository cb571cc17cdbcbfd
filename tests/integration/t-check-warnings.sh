#!/bin/sh
# Lines that are not entries are skipped with a warning naming file and
# line; the check still passes.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
# the app
web: bin/web

<<<<<<< HEAD
worker: bin/worker
P
printf 'A=1\nthis is not an assignment\nB=2\n' >.env

"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status"
msg="ignored line: not 'name: command'"
assert_grep "^formation: warning: Procfile:4: $msg\$" err
assert_grep '^formation: warning: \.env:2: ' err
assert_eq 2 "$(wc -l <err)" "lines on stderr"
# Procfile warnings come before .env ones.
assert_eq "Procfile:4" "$(head -n 1 err | cut -d' ' -f3 | cut -d: -f1,2)" \
    "first warning"
assert_grep '^Procfile: 2 process types$' out
assert_grep '^env: 2 keys from \.env$' out
exit 0

#!/bin/sh
# A variable set in the environment wins over the env files: check says
# so, and --json still shows what the files set.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\n' >Procfile
printf 'PORT=5000\nNAME=app\nGREETING="hello $USER_NAME"\n' >.env

USER_NAME=ann PORT=7000 "$FORMATION" check >out 2>err
assert_eq 0 $? "exit status"
assert_grep '^  overridden by the environment: PORT$' out

USER_NAME=ann PORT=7000 "$FORMATION" check --json >out.json 2>err
assert_eq 0 $? "exit status (--json)"
python3 - out.json <<'PY' || fail "JSON differs"
import json, sys
env = list(json.load(open(sys.argv[1]))["env"].items())
want = [("PORT", "5000"), ("NAME", "app"), ("GREETING", "hello ann")]
if env != want:
    sys.exit("env: expected %r, got %r" % (want, env))
PY
exit 0

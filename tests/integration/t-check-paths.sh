#!/bin/sh
# -C names the app root; -f, -e and -c name other files, relative to the
# working directory; a later env file wins over an earlier one.
. "$(dirname "$0")/lib.sh"

mkdir -p app/config elsewhere
printf 'web: bin/web\n' >app/Procfile
printf 'A=root\n' >app/.env
printf 'dev: bin/dev\nwatch: bin/watch\n' >app/Procfile.dev
printf 'A=one\nB=one\n' >app/config/one.env
printf 'B=two\nC=$A-$B\n' >app/config/two.env
printf '[formation]\nprocfile = Procfile.dev\n' >app/config/dev.ini

cd elsewhere || fail "cd"
"$FORMATION" -C ../app check >out 2>err
assert_eq 0 $? "exit status with -C"
assert_grep '^Procfile: 1 process type$' out
assert_grep "^app root: $T/app\$" out
assert_grep '^env: 1 key from \.env$' out

"$FORMATION" check -f ../app/Procfile.dev \
    -e ../app/config/one.env,../app/config/two.env --json >out.json 2>err
assert_eq 0 $? "exit status with -f and -e"
python3 - out.json <<'PY' || fail "JSON differs (-f, -e)"
import json, sys
doc = json.load(open(sys.argv[1]))
names = [p["name"] for p in doc["processes"]]
if names != ["dev", "watch"]:
    sys.exit("processes: %r" % names)
env = list(doc["env"].items())
if env != [("A", "one"), ("B", "two"), ("C", "one-two")]:
    sys.exit("env: %r" % env)
PY

# -f makes the Procfile's directory the app root: its .env is read.
"$FORMATION" check -f ../app/Procfile.dev >out 2>err
assert_eq 0 $? "exit status with -f alone"
assert_grep '^Procfile.dev: 2 process types$' out
assert_grep '^env: 1 key from \.env$' out

# Messages name a file given as ../app/... relative to the app root.
printf 'web: bin/web\nweb: bin/web\n' >../app/config/Procfile.bad
"$FORMATION" -C ../app check -f ../app/config/Procfile.bad >out 2>err
assert_eq 78 $? "exit status with a bad -f"
assert_grep '^formation: config/Procfile\.bad:2: ' err

# -c names formation.ini elsewhere; its procfile key is under the root.
"$FORMATION" -C ../app check -c ../app/config/dev.ini >out 2>err
assert_eq 0 $? "exit status with -c"
assert_grep '^Procfile.dev: 2 process types$' out
exit 0

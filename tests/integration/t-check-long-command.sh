#!/bin/sh
# A 70,000-character command is kept whole.
. "$(dirname "$0")/lib.sh"

cmd="echo $(head -c 69995 /dev/zero | tr '\0' x)"
printf 'web: %s\nworker: bin/worker\n' "$cmd" >Procfile
assert_eq 70000 "${#cmd}" "length of the command"

"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status"
assert_grep '^Procfile: 2 process types$' out
line=$(grep '^  web ' out)
assert_eq "  web     $cmd" "$line" "the web line"

"$FORMATION" check --json >out.json 2>err
assert_eq 0 $? "exit status (--json)"
python3 - out.json "$cmd" <<'PY' || fail "JSON differs"
import json, sys
doc = json.load(open(sys.argv[1]))
got = [(p["name"], p["command"]) for p in doc["processes"]]
if got != [("web", sys.argv[2]), ("worker", "bin/worker")]:
    sys.exit("processes differ; web command is %d characters"
             % len(doc["processes"][0]["command"]))
PY
exit 0

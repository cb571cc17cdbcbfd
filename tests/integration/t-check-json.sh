#!/bin/sh
# check --json: one document with the processes in Procfile order, the env
# files' keys after expansion in file order, the counts of [scale], and
# the warnings.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: bundle exec puma -p $PORT
worker: bin/worker "quoted" \back\slash	tab

not an entry
P
cat >.env <<'P'
export HOST=example.org
URL=https://${HOST}/api # a comment
QUOTED="line one\nline two"
SINGLE='$HOST stays'
HOST=example.com
P
printf '[scale]\nall = 0\nweb = 2\n' >formation.ini

"$FORMATION" check --json >out.json 2>err
assert_eq 0 $? "exit status"
assert_eq "" "$(cat err)" "stderr"
python3 - out.json <<'PY' || fail "JSON differs"
import json, sys
doc = json.load(open(sys.argv[1]))
want_procs = [
    {"name": "web", "command": "bundle exec puma -p $PORT"},
    {"name": "worker", "command": 'bin/worker "quoted" \\back\\slash\ttab'},
]
want_env = [
    ("HOST", "example.com"),
    ("URL", "https://example.org/api"),
    ("QUOTED", "line one\nline two"),
    ("SINGLE", "$HOST stays"),
]
want_warnings = [{"file": "Procfile", "line": 4}]
ok = True
def check(what, got, want):
    global ok
    if got != want:
        print("%s: expected %r, got %r" % (what, want, got))
        ok = False
check("keys", sorted(doc), ["env", "processes", "scale", "warnings"])
check("scale", list(doc["scale"].items()), [("web", 2), ("worker", 0)])
check("processes", doc["processes"], want_procs)
check("env", list(doc["env"].items()), want_env)
check("warnings", [{"file": w["file"], "line": w["line"]}
                   for w in doc["warnings"]], want_warnings)
check("warning has a message", all(isinstance(w["message"], str) and
      w["message"] for w in doc["warnings"]), True)
sys.exit(0 if ok else 1)
PY
# One document: a single line of output.
assert_eq 1 "$(wc -l <out.json)" "lines of output"
exit 0

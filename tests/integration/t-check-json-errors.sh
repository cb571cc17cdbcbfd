#!/bin/sh
# check --json with errors: exit 78 and {"errors": [...]} on stdout; with
# --strict the warnings are errors too.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\nbad line\nweb: again\n' >Procfile
printf 'A="open\n' >.env

"$FORMATION" check --json >out.json 2>err
assert_eq 78 $? "exit status"
assert_eq "" "$(cat err)" "stderr"
python3 - out.json <<'PY' || fail "JSON differs"
import json, sys
doc = json.load(open(sys.argv[1]))
got = [(e["file"], e["line"]) for e in doc["errors"]]
want = [("Procfile", 3), (".env", 1)]
if got != want:
    sys.exit("errors: expected %r, got %r" % (want, got))
if "processes" in doc or "env" in doc:
    sys.exit("processes or env present in an error document")
warnings = [(w["file"], w["line"]) for w in doc.get("warnings", [])]
if warnings != [("Procfile", 2)]:
    sys.exit("warnings: %r" % warnings)
if not all(e["message"] for e in doc["errors"]):
    sys.exit("an error without a message")
PY

printf 'web: bin/web\nbad line\n' >Procfile
printf 'A=1\n' >.env
"$FORMATION" check --json --strict >out.json 2>err
assert_eq 78 $? "exit status with --strict"
python3 - out.json <<'PY' || fail "JSON differs (--strict)"
import json, sys
doc = json.load(open(sys.argv[1]))
got = [(e["file"], e["line"]) for e in doc["errors"]]
if got != [("Procfile", 2)]:
    sys.exit("errors: %r" % got)
if doc.get("warnings", []) != []:
    sys.exit("warnings left: %r" % doc["warnings"])
PY
exit 0

#!/bin/sh
# Every real-world Procfile and env file in ../shared/realworld, through the
# real "formation check --json", against expected.json: the processes and
# the env keys exactly and in order, or the line of the error. The files
# are third-party and stay where they are.
. "$(dirname "$0")/lib.sh"

RW=$TESTS_TOP/../shared/realworld
[ -d "$RW" ] || skip "../shared/realworld not present"
RW=$(cd "$RW" && pwd)

mkdir empty app
printf 'web: true\n' >app/Procfile

python3 - "$FORMATION" "$RW" "$T" <<'PY' || fail "real-world files differ"
import json, os, subprocess, sys

formation, rw, tmp = sys.argv[1:4]
expected = json.load(open(os.path.join(rw, "expected.json")))
bad = 0
count = 0

def check(kind, name, args):
    """Run check --json with an empty environment; compare with expected."""
    global bad, count
    count += 1
    want = expected.get(kind, {}).get(name)
    if want is None:
        print("%s/%s: not in expected.json" % (kind, name))
        bad += 1
        return
    p = subprocess.run(["env", "-i", "PATH=/usr/bin:/bin", formation]
                       + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    try:
        doc = json.loads(p.stdout.decode("utf-8"))
    except ValueError as e:
        print("%s/%s: output is not JSON (%s), exit %d, stderr %r"
              % (kind, name, e, p.returncode, p.stderr[:200]))
        bad += 1
        return
    problems = compare(kind, name, want, p.returncode, doc)
    for what in problems:
        print("%s/%s: %s" % (kind, name, what))
    if problems:
        bad += 1

def compare(kind, name, want, status, doc):
    if "error_line" in want:
        if status != 78:
            return ["expected an error at line %d, got exit %d"
                    % (want["error_line"], status)]
        lines = [e["line"] for e in doc.get("errors", [])
                 if e["file"].endswith(name)]
        if lines != [want["error_line"]]:
            return ["expected an error at line %d, got errors %r"
                    % (want["error_line"], doc.get("errors"))]
        return []
    if status != 0:
        return ["expected success, got exit %d: %r"
                % (status, doc.get("errors"))]
    if kind == "procfiles":
        got = [[p["name"], p["command"]] for p in doc["processes"]]
        want_list = want["processes"]
    else:
        got = [[k, v] for k, v in doc["env"].items()]
        want_list = want["env"]
    if got == want_list:
        return []
    out = []
    for i in range(max(len(got), len(want_list))):
        g = got[i] if i < len(got) else None
        w = want_list[i] if i < len(want_list) else None
        if g != w:
            out.append("entry %d: expected %r, got %r" % (i + 1, w, g))
    return out

for name in sorted(os.listdir(os.path.join(rw, "procfiles"))):
    check("procfiles", name, ["-C", os.path.join(tmp, "empty"), "check",
          "--json", "-f", os.path.join(rw, "procfiles", name)])
for name in sorted(os.listdir(os.path.join(rw, "envfiles"))):
    check("envfiles", name, ["-C", os.path.join(tmp, "app"), "check",
          "--json", "-e", os.path.join(rw, "envfiles", name)])
for kind in ("procfiles", "envfiles"):
    for name in expected.get(kind, {}):
        if not os.path.exists(os.path.join(rw, kind, name)):
            print("%s/%s: in expected.json but not present" % (kind, name))
            bad += 1
print("%d files, %d mismatched" % (count, bad))
sys.exit(1 if bad else 0)
PY
exit 0

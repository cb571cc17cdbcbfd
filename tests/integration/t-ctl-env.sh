#!/bin/sh
# env, env --origin and env --json: the environment of the current
# release, exactly as the processes get it, and where each key came from.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: exec sleep 600
P
cat >.env <<'P'
# settings
FOO=bar
export GREETING="hello world"
FROM_SHELL=from the file

EXPANDED=${FOO}-x
P
FROM_SHELL=inherited FORMATION_TEST_KNOB=1 start_detached -t 1

"$FORMATION" env >env.out 2>err
assert_eq 0 $? "env status"
assert_eq "" "$(cat err)" "env stderr"
assert_grep '^FOO=bar$' env.out
assert_grep '^GREETING=hello world$' env.out
assert_grep '^EXPANDED=bar-x$' env.out
# The inherited environment wins over the file.
assert_grep '^FROM_SHELL=inherited$' env.out
assert_grep "^HOME=$HOME\$" env.out
# FORMATION_* are the daemon's settings, not the app's.
assert_no_grep '^FORMATION_' env.out

"$FORMATION" env --origin >origin.out 2>err
assert_eq 0 $? "env --origin status"
assert_grep '^FOO=bar	# \.env:2$' origin.out
assert_grep '^GREETING=hello world	# \.env:3$' origin.out
assert_grep '^EXPANDED=bar-x	# \.env:6$' origin.out
assert_grep '^FROM_SHELL=inherited	# inherited$' origin.out
assert_grep '^PATH=.*	# inherited$' origin.out

"$FORMATION" env --json >env.json 2>err
assert_eq 0 $? "env --json status"
"$FORMATION" env --json --origin >origin.json 2>err
assert_eq 0 $? "env --json --origin status"
pid=$(ps_field web.1 pid)
python3 - "/proc/$pid/environ" <<'PY' >check.out 2>&1 || fail "$(cat check.out)"
import json, os, sys
# Exactly what web.1 runs with, but for what each process gets of its own.
raw = open(sys.argv[1], "rb").read().split(b"\0")
want = dict(v.split(b"=", 1) for v in raw if v)
want = {k.decode(): v.decode() for k, v in want.items()
        if k not in (b"PS", b"PORT", b"FORMATION_RELEASE", b"PWD")}
assert dict(v.split(b"=", 1) for v in raw if v)[b"PWD"] == os.getcwd().encode()
d = json.load(open("env.json"))
assert d == want, (set(d.items()) ^ set(want.items()))
text = "".join("%s=%s\n" % kv for kv in d.items())
assert open("env.out").read() == text, "env and env --json differ"
o = json.load(open("origin.json"))
assert list(o) == list(d), (list(o), list(d))
for k, v in o.items():
    assert set(v) == {"value", "origin"}, v
    assert v["value"] == want[k], (k, v)
text = "".join("%s=%s\t# %s\n" % (k, v["value"], v["origin"])
               for k, v in o.items())
assert open("origin.out").read() == text, "env --origin and --json differ"
assert o["FOO"]["origin"] == ".env:2", o["FOO"]
assert o["EXPANDED"]["origin"] == ".env:6", o["EXPANDED"]
assert o["FROM_SHELL"] == {"value": "inherited", "origin": "inherited"}
assert o["HOME"]["origin"] == "inherited", o["HOME"]
print("ok")
PY

"$FORMATION" env extra >/dev/null 2>err
assert_eq 2 $? "env extra status"
assert_grep '^usage: formation env \[--origin\] \[--json\]$' err

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

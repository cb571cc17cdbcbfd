# A release file written before settings were part of a release (format
# 1, with the session variables it then held) still loads: it is listed,
# not skipped, and a rollback to it runs its content with the settings
# of today. The file is made here as format 1 was: its hash computed by
# the rule docs/releases.md gives, not by formation.
. "$(dirname "$0")/lib.sh"

printf 'web: echo "$GREETING $FORMATION_RELEASE" >out; exec sleep 1000\n' \
    >Procfile
echo GREETING=new >.env
printf '[process.web]\nstop_signal = INT\n' >formation.ini
mkdir -p .formation/releases
chmod 700 .formation .formation/releases
python3 - "$T" "$PATH" <<'EOF' >.formation/releases/v1.release
import hashlib, sys
root, path = sys.argv[1], sys.argv[2]
cmd = 'echo "$GREETING $FORMATION_RELEASE" >out; exec sleep 1000'
env = [("PATH", path, "inherited"), ("SHLVL", "2", "inherited"),
       ("TERM", "xterm", "inherited"), ("GREETING", "old", ".env:1")]
def field(tag, s):
    b = s.encode()
    return tag.encode() + str(len(b)).encode() + b":" + b + b"\n"
h = b"formation release 1\n" + field("R", root) + field("P", "web") + \
    field("C", cmd)
for k, v, o in env:
    h += field("K", k) + field("V", v)
def esc(s):
    if s == "":
        return "\\-"
    return s.replace("\\", "\\\\").replace(" ", "\\s")
lines = ["formation-release 1", "version 1", "created_at 1700000000",
         "root " + esc(root), "hash " + hashlib.sha256(h).hexdigest(),
         "proc web %s Procfile:1" % esc(cmd)]
lines += ["env %s %s %s" % (esc(k), esc(v), esc(o)) for k, v, o in env]
lines += ["file_env GREETING old .env:1", "end"]
print("\n".join(lines))
EOF
chmod 600 .formation/releases/v1.release

start_up -t 5
wait_for '[ -s out ]' || fail "the formation did not start"
assert_eq "new v2" "$(cat out)" "the build after v1"
assert_no_grep 'skipped' up.log
"$FORMATION" releases --json >rel.json || fail "releases failed"
python3 - <<'EOF' || fail "bad history: $(cat rel.json)"
import json
d = json.load(open("rel.json"))
assert [r["version"] for r in d] == ["v1", "v2"], d
assert d[0]["env_keys"] == ["GREETING"], d[0]
assert d[0]["created_at"] == "2023-11-14T22:13:20Z", d[0]
EOF

rm out
"$FORMATION" rollback v1 >rb.out 2>&1 || fail "rollback: $(cat rb.out)"
wait_for '[ -s out ] && [ "$(ps_field web.1 state)" = running ]' ||
    fail "v1's content did not start: $(cat rb.out)"
assert_eq "old v3" "$(cat out)" "the rollback to v1"
assert_eq "formation-release 2" "$(head -n 1 .formation/releases/v3.release)" \
    "the format of the rollback"
# Today's settings: web stops with SIGINT.
assert_grep 'setting web stop_signal SIGINT' .formation/releases/v3.release
stop_up
assert_grep 'web.1 stopping (SIGINT, shutdown)' up.log
assert_no_survivors

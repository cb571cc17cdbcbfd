#!/bin/sh
# A history larger than what the daemon queues for one client (8 MiB)
# comes whole, a chunk at a time, in order; with -f, the lines logged
# meanwhile follow it, none lost, none twice.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

# 120000 lines of 100 bytes: 12 MB, all kept under 32M.
cat >Procfile <<'P'
big: python3 -c 'import sys; [sys.stdout.write("big %06d %s\n" % (i, "y" * 89)) for i in range(120000)]'; while [ ! -e go ]; do sleep 0.05; done; echo after go; exec sleep 600
P
printf '[formation]\nlog_memory = 32M\n' >formation.ini
start_detached
wait_for '"$FORMATION" logs -n 1 big | grep -q "big 119999 "' 60 ||
    fail "big never finished"

"$FORMATION" logs --no-timestamps --since 1h big >out 2>err
assert_eq 0 $? "logs --since 1h status"
assert_eq "" "$(cat err)" "logs stderr"
python3 - out <<'PY' || fail "the history is not whole"
import sys
nums = [int(l.split()[3]) for l in open(sys.argv[1])]
assert nums == list(range(120000)), (len(nums), nums[:2], nums[-2:])
PY

# Following: the whole history, then what comes after it.
"$FORMATION" logs -f --no-timestamps -n 100000 big >follow 2>&1 &
fpid=$!
# Once its history has begun: what follows is logged after the request.
wait_for '[ -s follow ]' 30 || fail "follow: no history"
touch go
wait_for 'grep -q "after go$" follow' 30 || fail "follow: no 'after go'"
kill "$fpid"
wait "$fpid" 2>/dev/null
python3 - follow <<'PY' || fail "follow: not the history then the new line"
import sys
lines = [l.split("| ", 1)[1].rstrip("\n") for l in open(sys.argv[1])]
assert lines[-1] == "after go", lines[-1]
nums = [int(l.split()[1]) for l in lines[:-1]]
assert nums == list(range(20000, 120000)), (len(nums), nums[:2])
PY

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

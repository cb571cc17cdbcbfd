#!/bin/sh
# Ctrl-Z on a foreground "formation up" does not suspend the daemon (a
# stopped supervisor supervises nothing and answers no one): it says so,
# points to "up -d", and goes on serving; Ctrl-C still stops it.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

echo 'web: echo ready; exec sleep 1000' >Procfile
python3 "$TESTS_TOP/tests/integration/ptydrive.py" --out pty.out \
    'expect:ready' 'send:\x1a' 'expect:Ctrl-Z ignored' state:!T \
    "sh:\"$FORMATION\" ps >ps.out" 'send:\x03' 'expect:web.1 killed' -- \
    "$FORMATION" up >drive.out 2>&1
rc=$?
assert_eq 0 "$rc" "status of up ($(cat drive.out))"
assert_grep "Ctrl-Z ignored: a formation cannot be suspended ('formation up -d' runs it in the background)" pty.out
assert_grep '^web\.1 ' ps.out
assert_no_survivors
exit 0

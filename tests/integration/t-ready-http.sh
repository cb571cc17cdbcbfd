#!/bin/sh
# ready = http:/PATH: listening is not enough, the GET of PATH on PORT
# must answer 2xx or 3xx; a 503 keeps it starting.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
base=$(free_ports 1) || skip "no free port"

cat >Procfile <<P
web: exec python3 $TESTS_TOP/tests/integration/readysrv.py http
P
cat >formation.ini <<'I'
[process.web]
ready = http:/health
I
start_up -p "$base"
wait_for 'grep -q "web\.1 listening port" up.log' || fail "web.1 did not listen"
# It answers 503 now: the check has tried at least once, and waits on.
python3 -c '
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen("http://127.0.0.1:%s/health" % sys.argv[1], timeout=5)
    sys.exit(1)
except urllib.error.HTTPError as e:
    sys.exit(0 if e.code == 503 else 1)' "$base" || fail "the server does not say 503"
assert_eq starting "$(ps_field web.1 state)" "web.1 while it answers 503"
touch go
wait_for '[ "$(ps_field web.1 state)" = running ]' ||
    fail "web.1 did not become running once it answered 200"
assert_grep "system *| web\.1 ready (http :$base/health, [0-9.]* s)\$" up.log
stop_up
assert_no_survivors

#!/bin/sh
# logs -n N: the last N lines the daemon keeps, in time order, in the log
# format, for every process or only those named.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

cat >Procfile <<'P'
web: i=0; while [ $i -lt 150 ]; do i=$((i+1)); echo "web line $i"; done; exec sleep 600
worker: echo "worker says hi"; exec sleep 601
P
start_detached -t 1
wait_for '"$FORMATION" logs -n 1000 | grep -q "web line 150$"' 5 ||
    fail "web line 50 never logged"
wait_for '"$FORMATION" logs -n 1000 | grep -q "worker says hi$"' 5 ||
    fail "worker never logged"

ts='[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'
"$FORMATION" logs -n 5 web >out 2>err
assert_eq 0 $? "logs -n 5 web status"
assert_eq "" "$(cat err)" "logs stderr"
assert_eq 5 "$(wc -l <out | tr -d ' ')" "lines of logs -n 5 web"
i=146
while read -r line; do
	echo "$line" | grep -q "^$ts web\.1  *| web line $i\$" ||
	    fail "line $i: '$line'"
	i=$((i + 1))
done <out

# Everything: system lines too, with the real pids.
"$FORMATION" logs -n 1000 >all 2>err
assert_eq 0 $? "logs -n 1000 status"
web=$(ps_field web.1 pid)
worker=$(ps_field worker.1 pid)
assert_grep "^$ts system  *| web\.1 started (pid $web)\$" all
assert_grep "^$ts system  *| worker\.1 started (pid $worker)\$" all
assert_grep "^$ts worker\.1 *| worker says hi\$" all
# The default is the last 100 lines of all.
"$FORMATION" logs >out 2>err
assert_eq 0 $? "logs status"
assert_eq 100 "$(wc -l <out | tr -d ' ')" "lines of logs"
[ "$(wc -l <all)" -gt 150 ] || fail "logs -n 1000: $(wc -l <all) lines"
# (Names are padded to the longest of those printed.)
assert_eq "$(tail -n 100 all | sed 's/  *|/ |/')" "$(sed 's/  *|/ |/' out)" \
    "logs = the tail of logs -n 1000"
# Lines appear in the order they were logged.
assert_eq "$(grep -o 'web line [0-9]*$' all | sed 's/web line //' | tr '\n' ' ')" \
    "$(seq 1 150 | tr '\n' ' ')" "order of web's lines"

# Targets: a type, an instance, system.
"$FORMATION" logs worker >out 2>err
assert_eq 0 $? "logs worker status"
assert_grep 'worker says hi$' out
assert_no_grep 'web line' out
assert_no_grep ' system ' out
"$FORMATION" logs system >out 2>err
assert_grep 'worker\.1 started' out
assert_no_grep ' | web line' out
"$FORMATION" logs -n 2 web.1 worker.1 >out 2>err
assert_eq 2 "$(wc -l <out | tr -d ' ')" "lines of logs -n 2 web.1 worker.1"

# An unknown target is an error, not an empty log.
"$FORMATION" logs wbe >out 2>err
assert_eq 1 $? "logs wbe status"
assert_grep "^formation: no such process 'wbe' (processes: web.1, worker.1)$" \
    err

"$FORMATION" logs -n x >out 2>err
assert_eq 2 $? "logs -n x status"
assert_grep "^formation: bad line count 'x'$" err
"$FORMATION" logs -q >out 2>err
assert_eq 2 $? "logs -q status"
assert_grep "^usage: formation logs \[-f\] \[-n N\] \[--since TIME\]" err

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

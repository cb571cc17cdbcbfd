#!/bin/sh
# log_memory: one budget for the lines of every process. A chatty process
# keeps only its newest lines, as many as the budget holds; a quiet one
# keeps all of its own; a reload with a smaller budget drops lines at once.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

# 20000 lines of 100 bytes (2 MB) from chatty, 3 from quiet.
cat >Procfile <<'P'
chatty: python3 -c 'import sys; [sys.stdout.write("chatty %05d %s\n" % (i, "x" * 86)) for i in range(20000)]; print("chatty done")'; exec sleep 600
quiet: echo quiet 1; echo quiet 2; echo quiet 3; exec sleep 601
P
printf '[formation]\nlog_memory = 256K\n' >formation.ini
start_detached
wait_for '"$FORMATION" logs -n 1 chatty | grep -q "chatty done$"' 60 ||
    fail "chatty never finished"

# A line costs its text (99 bytes), its NUL and about 60 bytes of
# keeping: 256 KiB holds fewer than 262144 / 150 of them, and more than
# 262144 / 250.
count_lines() {	# BUDGET
	"$FORMATION" logs --json -n 1000000 chatty >chatty.json ||
	    fail "logs chatty"
	python3 - chatty.json "$1" <<'PY'
import json, sys
texts = [json.loads(l)["text"] for l in open(sys.argv[1])]
budget = int(sys.argv[2])
assert texts[-1] == "chatty done", texts[-1]
nums = [int(t.split()[1]) for t in texts[:-1]]
# The newest, in order, none missing.
assert nums == list(range(20000 - len(nums), 20000)), nums[:3]
assert budget // 250 <= len(texts) <= budget // 150, len(texts)
print(len(texts))
PY
}
n=$(count_lines 262144) || fail "256K: $n"
assert_eq "quiet 1 quiet 2 quiet 3" \
    "$("$FORMATION" logs -n 100 quiet | sed 's/.*| //' | tr '\n' ' ' |
    sed 's/ $//')" "quiet keeps its lines"

# A smaller budget, by reload: fewer lines at once, quiet's still there.
printf '[formation]\nlog_memory = 128K\n' >formation.ini
"$FORMATION" reload >/dev/null 2>&1 || fail "reload"
m=$(count_lines 131072) || fail "128K: $m"
[ "$m" -lt "$n" ] || fail "128K kept $m lines, 256K $n"
assert_eq 3 "$("$FORMATION" logs -n 100 quiet | grep -c 'quiet [123]$')" \
    "quiet after the reload"

# A bad size is refused with its line.
printf '[formation]\nlog_memory = lots\n' >bad.ini
"$FORMATION" check -c bad.ini >out 2>&1
assert_eq 78 $? "check of a bad log_memory"
assert_grep "bad.ini:2: bad log_memory 'lots'" out

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

#!/bin/sh
# Churn: 10,000 one-offs, 8 CLIs at a time (1,000 under AddressSanitizer,
# where each CLI and fork costs several times more, unless
# FORMATION_SOAK=1). Every one-off starts and exits once, each exit is
# counted once, no zombie lasts, and the daemon ends with the descriptors
# it started with and about the same memory (< 1 MiB more; under ASan the
# quarantine keeps freed memory by design, so the growth is only reported,
# and LeakSanitizer checks the daemon at exit instead).
. "$(dirname "$0")/lib.sh"

n=10000
[ "${FORMATION_SOAK:-0}" = 1 ] || ! sanitized || n=1000
echo 'web: exec sleep 1000' >Procfile
# The lines of 10,000 one-offs are kept up to log_memory: a small one,
# so that memory grown past it is a leak.
printf '[formation]\nlog_memory = 256K\n' >formation.ini
start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

# Warm up, so that the first allocations do not count as growth.
seq 100 | xargs -P 8 -I{} "$FORMATION" oneoff true ||
    fail "a warm-up one-off failed"
wait_for '[ -z "$(zombies $UP_PID)" ]' 2 || fail "zombies after the warm-up"
daemon_baseline

watch_zombies "$UP_PID"
t0=$(now)
seq "$n" | xargs -P 8 -I{} "$FORMATION" oneoff true
rc=$?
took=$(elapsed "$t0")
unwatch_zombies
assert_eq 0 "$rc" "status of xargs (some one-off failed)"
echo "$n one-offs in ${took}s"

wait_for '! "$FORMATION" ps | grep -q "^run\."' || fail "one-offs left in ps"
wait_for '[ -z "$(zombies $UP_PID)" ]' 2 ||
    fail "zombies at the end: $(zombies $UP_PID)"
# A zombie is reaped on the next loop turn: 2 s is a bug.
[ -z "$(long_zombies 4)" ] ||
    fail "zombies not reaped for 2 s: $(long_zombies 4 | tr '\n' ' ')"

# Each of the n + 100 one-offs once: started once, exited 0 once.
total=$((n + 100))
# true is a builtin: its process is the shell, and its lines say so.
sed -n 's/^.* system *| \(run\.[0-9]*\) started (pid [0-9]*, \/bin\/sh running the command): true$/\1/p' \
    up.log | sort >started
sed -n "s/^.* system *| \\(run\\.[0-9]*\\) exited with status 0 (the shell's: that of the last command it ran)\$/\\1/p" \
    up.log | sort >exited
assert_eq "$total" "$(wc -l <started | tr -d ' ')" "starts"
assert_eq "$total" "$(sort -u started | wc -l | tr -d ' ')" "distinct starts"
cmp -s started exited || fail "the exits are not the starts, once each"
# And nothing else was said about them.
assert_eq $((2 * total)) "$(grep -c 'system *| run\.[0-9]* ' up.log)" \
    "system lines about one-offs"

assert_daemon_baseline
stop_up
assert_eq 0 "$UP_STATUS" "exit status of up"
assert_no_survivors
exit 0

#!/bin/sh
# ps shows each instance's CPU (over the last few seconds) and resident
# memory, summed over its session: a busy loop shows busy, then idle once
# stopped; a process with children counts them all, one that left its
# process group (but not its session) too; a process not running shows
# none. The daemon samples only while asked, and is quiet after.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"
command -v ps >/dev/null || skip "no ps(1)"

# esc's child makes a process group of its own.
cat >Procfile <<'P'
burn: exec sh -c 'while :; do :; done'
fam: sh -c 'sleep 1001 & sleep 1002 & wait'
esc: exec python3 -c 'import os; pid = os.fork(); pid or (os.setpgid(0, 0), os.execvp("sleep", ["sleep", "1003"])); os.waitpid(pid, 0)'
idle: exec sleep 1004
P
start_detached
"$FORMATION" stop idle >/dev/null || fail "stop idle"
wait_for '[ "$(ps_field idle.1 state)" = stopped ]' 10 || fail "idle not stopped"

# What ps(1) counts in a session: the processes and their RSS in KiB.
session_procs() { ps -o pid= -s "$1" | grep -c .; }
session_rss() { ps -o rss= -s "$1" | awk '{ s += $1 } END { print s * 1024 }'; }

fam=$(ps_field fam.1 pid)
esc=$(ps_field esc.1 pid)
wait_for '[ "$(session_procs "$fam")" -ge 3 ]' 10 || fail "fam has no children"
wait_for '[ "$(session_procs "$esc")" -ge 2 ]' 10 || fail "esc has no child"
# The escapee is in a process group of its own.
pgrps=$(ps -o pgid= -s "$esc" | sort -u | grep -c .)
[ "$pgrps" -ge 2 ] || fail "esc's child kept its process group"

# processes and rss_bytes agree with ps(1) for the same sessions.
for name in fam.1 esc.1; do
	pid=$(ps_field $name pid)
	want=$(session_procs "$pid")
	wait_for '[ "$(ps_field $name processes)" = "$want" ]' 10 ||
	    fail "$name: processes $(ps_field $name processes), ps(1) says $want"
	rss=$(ps_field $name rss_bytes)
	ps_rss=$(session_rss "$pid")
	python3 -c '
import sys
a, b = int(sys.argv[1]), int(sys.argv[2])
assert b > 0 and 0.8 * b <= a <= 1.25 * b, (a, b)' "$rss" "$ps_rss" ||
	    fail "$name: rss_bytes $rss, ps(1) says $ps_rss"
done

# The busy loop is busy, the sleepers are not.
wait_for 'python3 -c "import sys; sys.exit(not $(ps_field burn.1 cpu_percent) >= 10)"' 15 ||
    fail "burn.1 at $(ps_field burn.1 cpu_percent)% CPU"
python3 -c "import sys; sys.exit(not $(ps_field fam.1 cpu_percent) < 5)" ||
    fail "fam.1 at $(ps_field fam.1 cpu_percent)% CPU"
assert_eq "None None 0" "$(ps_json 'p["idle.1"]["cpu_percent"], p["idle.1"]["rss_bytes"], p["idle.1"]["processes"]' |
    tr -d '(),')" "usage of a stopped process"

# Over the last few seconds, not its life: stopped, it drops to 0.
burn=$(ps_field burn.1 pid)
kill -STOP "$burn"
wait_for 'python3 -c "import sys; sys.exit(not $(ps_field burn.1 cpu_percent) < 1)"' 15 ||
    fail "a stopped burn.1 still at $(ps_field burn.1 cpu_percent)% CPU"
kill -CONT "$burn"
wait_for 'python3 -c "import sys; sys.exit(not $(ps_field burn.1 cpu_percent) >= 10)"' 15 ||
    fail "burn.1 resumed at $(ps_field burn.1 cpu_percent)% CPU"

# The table has the columns, within 80 columns for short commands.
"$FORMATION" ps >out || fail "ps"
assert_grep '^NAME  *STATE  *PID  *UPTIME  *CPU%  *RSS  *RESTARTS' out
grep -q "^burn\.1  *running  *$burn  *[0-9]*s  *[0-9][0-9]*\.[0-9]  *[0-9.]*[KM] " out ||
    fail "no usage in burn.1's row: $(cat out)"
grep -q '^idle\.1  *stopped  *-  *-  *-  *- ' out ||
    fail "usage in idle.1's row: $(cat out)"

# Asked no more, the daemon stops sampling: no wake-ups of its own for
# 2 s once the sampler has lingered out (10 s).
"$FORMATION" stop burn fam esc >/dev/null || fail "stop"
switches() {
	awk '/^(non)?voluntary_ctxt_switches/ { s += $2 } END { print s }' \
	    /proc/"$DAEMON_PID"/status
}
quiet() {
	_a=$(switches); sleep 2; [ "$(switches)" = "$_a" ]
}
wait_for quiet 30 || fail "the daemon keeps waking up"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

#!/bin/sh
# formation top in a real terminal (tmux, 80x24): a row a process with its
# pid, state, CPU and last line; the keys sort, filter by type, restart,
# stop and start, follow the logs and quit; the terminal is as it was
# after q and after SIGTERM. Not a terminal: the table, once.
. "$(dirname "$0")/lib.sh"
if ! command -v tmux >/dev/null; then
	{ command -v apt-get && [ "$(id -u)" = 0 ] &&
	    apt-get install -y -qq tmux; } >/dev/null 2>&1
	command -v tmux >/dev/null || skip "no tmux, and it cannot be installed"
fi

cat >Procfile <<'P'
web: i=0; while :; do i=$((i+1)); echo "web says $i"; sleep 0.2; done
worker: echo "worker ready"; exec sleep 600
burn: exec sh -c 'while :; do :; done'
P
start_detached -m web=2

tm() { tmux -S "$T/tmux.sock" "$@"; }
screen() { tm capture-pane -p -t top; }
# The row of a process: its line on the screen.
row() { screen | grep "^$1 "; }
# Line N of the screen.
line() { screen | sed -n "$1p"; }
stop_tmux() { tm kill-server 2>/dev/null; }

export LANG=C.UTF-8
# A session that outlives the others, so that killing one never ends the
# server while the next one starts.
tm new-session -d -s keep "exec sleep 600" || fail "tmux"
# The shell around top lives on through the Ctrl-C that ends l's logs.
tm new-session -d -s top -x 80 -y 24 "sh -c 'trap : INT; stty -g >stty.before;
    \"$FORMATION\" top; echo \"top exit \$?\" >top.status;
    stty -g >stty.after; exec sleep 600'" || fail "tmux"
wait_for 'row worker.1 | grep -q "worker ready$"' 15 ||
    { screen; stop_tmux; fail "no worker.1 row"; }

# 80x24, a line each, within 80 columns; a row per process, as ps says.
assert_eq 24 "$(screen | wc -l | tr -d ' ')" "lines on the screen"
[ "$(screen | awk '{ if (length($0) > m) m = length($0) } END { print m }')" \
    -le 80 ] || fail "a line is wider than 80"
line 1 | grep -q '^formation top: release v1, 4 of 4 processes, by order' ||
    fail "title: $(line 1)"
line 2 | grep -q '^NAME  *STATE  *PID  *UPTIME  *RST  *CPU%  *HISTORY  *RSS  *LAST LINE' ||
    fail "header: $(line 2)"
for name in web.1 web.2 worker.1 burn.1; do
	pid=$(ps_field $name pid)
	row $name | grep -q "^$name  *running  *$pid " ||
	    fail "row of $name (pid $pid): $(row $name)"
done
wait_for 'row web.1 | grep -q "web says [0-9]*$"' 10 || fail "web.1: $(row web.1)"
assert_eq "web.1 web.2 worker.1 burn.1" \
    "$(screen | sed -n '3,6p' | awk '{ print $1 }' | tr '\n' ' ' |
    sed 's/ $//')" "the Procfile's order"

# Sorting: by name, by CPU (burn first), and back.
tm send-keys -t top n
wait_for '[ "$(line 3 | cut -d" " -f1)" = burn.1 ] &&
    [ "$(line 6 | cut -d" " -f1)" = worker.1 ]' 5 || fail "by name: $(screen)"
tm send-keys -t top o
wait_for '[ "$(line 3 | cut -d" " -f1)" = web.1 ]' 5 || fail "by order: $(screen)"
tm send-keys -t top c
wait_for '[ "$(line 3 | cut -d" " -f1)" = burn.1 ]' 10 || fail "by cpu: $(screen)"
line 3 | grep -q "^burn\.1  *running .* [0-9][0-9]*\.[0-9] " ||
    fail "burn.1's CPU: $(line 3)"
tm send-keys -t top o

# Filtering by type: web alone, then worker, burn, all again.
tm send-keys -t top t
wait_for 'line 1 | grep -q "2 of 4 processes, by order, type web$"' 5 ||
    fail "type web: $(line 1)"
row worker.1 >/dev/null && fail "worker.1 shown with type web"
tm send-keys -t top t
wait_for 'line 1 | grep -q "1 of 4 processes, by order, type worker$"' 5 ||
    fail "type worker: $(line 1)"
tm send-keys -t top t t
wait_for 'line 1 | grep -q "4 of 4 processes, by order, type all$"' 5 ||
    fail "type all again: $(line 1)"

# r restarts the selected process (the first: web.1), s stops it, s
# starts it again.
old=$(ps_field web.1 pid)
tm send-keys -t top r
wait_for '[ "$(ps_field web.1 pid)" != "$old" ] &&
    [ "$(ps_field web.1 state)" = running ]' 15 || fail "r: web.1 not restarted"
tm send-keys -t top s
wait_for '[ "$(ps_field web.1 state)" = stopped ]' 15 || fail "s: web.1 not stopped"
wait_for 'row web.1 | grep -q "^web\.1  *stopped "' 5 || fail "row: $(row web.1)"
tm send-keys -t top s
wait_for '[ "$(ps_field web.1 state)" = running ]' 15 || fail "s: web.1 not started"

# j moves the selection down: s now stops web.2.
tm send-keys -t top j s
wait_for '[ "$(ps_field web.2 state)" = stopped ]' 15 || fail "j s: web.2 not stopped"
[ "$(ps_field web.1 state)" = running ] || fail "j s stopped web.1"
tm send-keys -t top s

# l follows the logs of the selected one; Ctrl-C comes back to top.
tm send-keys -t top l
wait_for 'screen | grep -q "^Following the logs of web.2: Ctrl-C to return to top\.$"' 5 ||
    fail "l: $(screen)"
wait_for 'screen | grep -q "web\.2  *| web says"' 10 || fail "l: no lines: $(screen)"
screen | grep -q "web\.1  *| " && fail "l: web.1's lines too"
tm send-keys -t top C-c
wait_for 'line 1 | grep -q "^formation top: "' 5 || fail "back from l: $(screen)"

# q: gone, and the terminal as it was.
tm send-keys -t top q
wait_for '[ -s top.status ] && [ -s stty.after ]' 5 || fail "q: top did not end"
assert_eq "top exit 0" "$(cat top.status)" "status after q"
assert_eq "$(cat stty.before)" "$(cat stty.after)" "terminal after q"
screen | grep -q "^formation top: release" && fail "q: the screen of top is still there"

# SIGTERM: the terminal restored all the same, and the signal's status.
tm kill-session -t top
rm -f top.status stty.before stty.after
tm new-session -d -s top -x 80 -y 24 "sh -c 'trap : INT; stty -g >stty.before;
    \"$FORMATION\" top; echo \"top exit \$?\" >top.status;
    stty -g >stty.after; exec sleep 600'" || fail "tmux again"
wait_for 'row worker.1 >/dev/null' 15 || fail "top again: $(screen)"
sh_pid=$(tm display-message -p -t top '#{pane_pid}')
top_pid=$(ps -o pid= --ppid "$sh_pid" | tr -d ' ')
[ -n "$top_pid" ] || fail "no pid for top"
kill -TERM "$top_pid"
wait_for '[ -s top.status ] && [ -s stty.after ]' 5 || fail "TERM: top did not end"
assert_eq "top exit 143" "$(cat top.status)" "status after SIGTERM"
assert_eq "$(cat stty.before)" "$(cat stty.after)" "terminal after SIGTERM"
screen | grep -q "^formation top: release" && fail "TERM: the screen of top is still there"

# Ctrl-Z in an interactive shell: top stops with the terminal as it was
# (the shell's prompt on the normal screen), and fg brings it back.
if command -v bash >/dev/null; then
	rm -f top.status stty.before stty.after
	echo "PS1='prompt\$ '" >rc
	tm new-session -d -s job -x 80 -y 24 "bash --rcfile rc --noprofile -i" ||
	    fail "tmux bash"
	# One job, so that Ctrl-Z stops it whole.
	tm send-keys -t job "(stty -g >stty.before; $FORMATION top; echo \"top exit \$?\" >top.status; stty -g >stty.after)" Enter
	screen_job() { tm capture-pane -p -t job; }
	wait_for 'screen_job | grep -q "^worker\.1 "' 15 || fail "top in bash: $(screen_job)"
	tm send-keys -t job C-z
	wait_for 'screen_job | grep -q "Stopped"' 5 || fail "Ctrl-Z: $(screen_job)"
	# Its title line; the command line typed may wrap to a line that
	# begins "formation top;", by the length of the path to formation.
	screen_job | grep -q "^formation top: " && fail "Ctrl-Z: top's screen is still there"
	tm send-keys -t job fg Enter
	wait_for 'screen_job | grep -q "^formation top: "' 5 || fail "fg: $(screen_job)"
	tm send-keys -t job q
	wait_for '[ -s top.status ] && [ -s stty.after ]' 5 || fail "q after fg"
	assert_eq "top exit 0" "$(cat top.status)" "status after fg and q"
	assert_eq "$(cat stty.before)" "$(cat stty.after)" "terminal after fg and q"
fi
stop_tmux

# Not a terminal: the table, once.
"$FORMATION" top >table 2>err
assert_eq 0 $? "top | status"
assert_eq "" "$(cat err)" "top | stderr"
assert_grep '^NAME  *STATE  *PID  *UPTIME  *RST  *CPU%  *RSS  *LAST LINE$' table
assert_grep "^worker\.1  *running  *$(ps_field worker.1 pid) .* worker ready$" table
assert_eq 5 "$(wc -l <table | tr -d ' ')" "lines of the table"

"$FORMATION" down >/dev/null || fail "down failed"
assert_no_survivors
exit 0

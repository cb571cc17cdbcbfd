# The variables of a terminal, a login and a service manager never enter
# a release: up from two different terminals, or a restart by systemd,
# runs the same release. TERM is the process's own: none on a pipe,
# xterm-256color on a pty, and an env file's wins over both.
. "$(dirname "$0")/lib.sh"

printf 'web: sleep 1000\nconsole: sleep 1001\n' >Procfile
printf '[process.console]\ntty = true\n' >formation.ini
echo GREETING=hello >.env

# The first terminal: tmux over ssh, in a login session, under systemd.
up_from_terminal_one() {
	env TERM=screen-256color SHLVL=3 OLDPWD=/tmp _=/usr/bin/formation \
	    PWD="$T" TMUX=/tmp/tmux-1000/default,4242,0 TMUX_PANE=%3 \
	    TERM_PROGRAM=tmux TERM_PROGRAM_VERSION=3.3a COLORTERM=truecolor \
	    SSH_TTY=/dev/pts/4 SSH_CLIENT='10.0.0.1 50000 22' \
	    SSH_CONNECTION='10.0.0.1 50000 10.0.0.2 22' \
	    SSH_AUTH_SOCK=/tmp/ssh-XXXX/agent.1 DISPLAY=:0 \
	    XDG_SESSION_ID=12 XDG_SESSION_TYPE=tty XDG_VTNR=2 \
	    DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus \
	    SYSTEMD_EXEC_PID=4000 MANAGERPID=1 INVOCATION_ID=0123abcd \
	    WATCHDOG_PID=4000 CACHE_DIRECTORY=/var/cache/app \
	    "$FORMATION" up -t 1 >>"$T/up.log" 2>&1 &
	UP_PID=$!
}

# Another: screen in a desktop terminal, a later systemd restart.
up_from_terminal_two() {
	env TERM=xterm-kitty SHLVL=1 OLDPWD=/home _=/bin/formation \
	    STY=1234.pts-0.host WINDOW=2 WINDOWID=8388621 \
	    TERM_SESSION_ID=w0t0p0:ABCD WAYLAND_DISPLAY=wayland-0 \
	    XDG_SESSION_CLASS=user SYSTEMD_EXEC_PID=5000 \
	    INVOCATION_ID=fedc9876 LOGS_DIRECTORY=/var/log/app \
	    "$FORMATION" up -t 1 >>"$T/up.log" 2>&1 &
	UP_PID=$!
}

started() {
	wait_for '[ "$(ps_field web.1 state)" = running ] &&
	    [ "$(ps_field console.1 state)" = running ]' ||
	    fail "the formation did not start"
}

first_line() {
	sed -n 's/.*system *| \(formation v[0-9]*\) in .*/\1/p' up.log |
	    head -n 1
}

: >up.log
up_from_terminal_one
started
assert_eq "formation v1" "$(first_line)" "the first release"
web=$(ps_field web.1 pid)
console=$(ps_field console.1 pid)
assert_eq "" "$(env_of "$web" TERM)" "TERM of a process on a pipe"
assert_eq xterm-256color "$(env_of "$console" TERM)" "TERM on a pty"
assert_eq "$T" "$(env_of "$web" PWD)" "PWD of web.1"
for v in SHLVL OLDPWD _ TMUX TMUX_PANE TERM_PROGRAM COLORTERM SSH_TTY \
    SSH_CONNECTION SSH_AUTH_SOCK DISPLAY XDG_SESSION_ID XDG_VTNR \
    DBUS_SESSION_BUS_ADDRESS SYSTEMD_EXEC_PID MANAGERPID INVOCATION_ID \
    WATCHDOG_PID CACHE_DIRECTORY; do
	[ -z "$(env_of "$web" "$v")" ] || fail "web.1 has $v"
done
"$FORMATION" env --origin >env.out || fail "env --origin failed"
assert_grep '^GREETING=hello	# .env:1$' env.out
assert_grep '^PATH=' env.out
if grep -E '^(TERM|SHLVL|OLDPWD|_|PWD|TMUX|TMUX_PANE|TERM_PROGRAM|'\
'TERM_PROGRAM_VERSION|COLORTERM|SSH_[A-Z_]*|DISPLAY|XDG_SESSION_[A-Z]*|'\
'XDG_VTNR|DBUS_SESSION_BUS_ADDRESS|SYSTEMD_EXEC_PID|MANAGERPID|'\
'INVOCATION_ID|WATCHDOG_PID|CACHE_DIRECTORY|FORMATION_[A-Z_]*)=' env.out
then
	fail "session variables in the release: $(cat env.out)"
fi
stop_up
assert_no_survivors

: >up.log
up_from_terminal_two
started
assert_eq "formation v1" "$(first_line)" "another terminal, a restart"
assert_eq "v1.release" "$(ls .formation/releases)" "the history"
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v1 is current" "$(cat reload.out)" "reload"

# An env file's TERM wins, on a pipe and on a pty.
printf 'GREETING=hello\nTERM=dumb\n' >.env
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep '^reloaded: v2' reload.out
wait_for '[ "$(ps_field web.1 release)" = v2 ] &&
    [ "$(ps_field console.1 release)" = v2 ] &&
    [ "$(ps_field console.1 state)" = running ] &&
    [ "$(ps_field web.1 state)" = running ]' ||
    fail "the formation did not move to v2"
assert_eq dumb "$(env_of "$(ps_field web.1 pid)" TERM)" "web.1's TERM"
assert_eq dumb "$(env_of "$(ps_field console.1 pid)" TERM)" \
    "console.1's TERM"
"$FORMATION" env --origin >env.out || fail "env --origin failed"
assert_grep '^TERM=dumb	# .env:2$' env.out
stop_up
assert_no_survivors

# The settings of a process type in formation.ini are part of the
# release: changing one makes a new release on reload, and the processes
# restart with it (a pty instead of a pipe, another stop signal). A count
# in [scale] is live state: it makes no release.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'EOF'
web: trap 'echo INT >>stopped; exit 0' INT; trap 'echo TERM >>stopped; exit 0' TERM; while :; do sleep 0.1; done
worker: sleep 1000
EOF
start_up -t 2
wait_for '[ "$(ps_field worker.1 state)" = running ] &&
    [ "$(ps_field web.1 state)" = running ]' ||
    fail "the formation did not start"
pid=$(ps_field worker.1 pid)
case $(readlink "/proc/$pid/fd/1") in
pipe:*) ;;
*) fail "worker.1's stdout is not a pipe: $(readlink "/proc/$pid/fd/1")" ;;
esac

printf '[process.worker]\ntty = true\n[process.web]\nstop_signal = INT\n' \
    >formation.ini
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_grep '^reloaded: v2 (2 processes restarting)$' reload.out
wait_for '[ "$(ps_field worker.1 release)" = v2 ] &&
    [ "$(ps_field worker.1 state)" = running ] &&
    [ "$(ps_field web.1 release)" = v2 ] &&
    [ "$(ps_field web.1 state)" = running ]' ||
    fail "the formation did not move to v2"
new=$(ps_field worker.1 pid)
[ "$new" != "$pid" ] || fail "worker.1 was not restarted"
case $(readlink "/proc/$new/fd/1") in
/dev/pts/*) ;;
*) fail "worker.1 has no pty on v2: $(readlink "/proc/$new/fd/1")" ;;
esac
assert_eq xterm-256color "$(env_of "$new" TERM)" "worker.1's TERM"
# v1's web.1 was stopped with v1's signal.
assert_eq TERM "$(cat stopped)" "how v1's web.1 was stopped"
assert_grep 'setting web tty false' .formation/releases/v2.release
assert_grep 'setting web stop_signal SIGINT' .formation/releases/v2.release
assert_grep 'setting worker tty true' .formation/releases/v2.release

# A count is not content.
printf '[process.worker]\ntty = true\n[process.web]\nstop_signal = INT\n[scale]\nworker = 2\n' \
    >formation.ini
"$FORMATION" reload >reload.out 2>&1 || fail "reload: $(cat reload.out)"
assert_eq "no change: v2 is current" "$(cat reload.out)" "a count changed"
wait_for '[ "$(ps_field worker.2 state)" = running ]' ||
    fail "worker.2 did not start"

# v2's web.1 stops with v2's signal.
stop_up
assert_eq 0 "$UP_STATUS" "up's status"
assert_eq "TERM INT" "$(tr '\n' ' ' <stopped | sed 's/ $//')" \
    "how each web.1 was stopped"
assert_no_survivors

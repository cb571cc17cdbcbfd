#!/bin/sh
# The daemon serves only its own uid (and root). Another user cannot reach
# the socket in its 0700 directory; and where the socket is reachable
# (--socket in an open directory, mode loosened by hand), the daemon
# itself refuses the connection (SO_PEERCRED) and logs it.
. "$(dirname "$0")/lib.sh"
command -v setpriv >/dev/null || skip "no setpriv"
[ "$(id -u)" = 0 ] || skip "not root: cannot run as another user"
other=65534
as_other() {
	setpriv --reuid=$other --regid=$other --clear-groups "$@"
}
as_other true || skip "setpriv cannot switch to uid $other"

# Somewhere the other user can read and run the CLI from.
chmod 711 "$T"
mkdir -m 755 pub
cp "$FORMATION" pub/formation
printf 'web: exec sleep 600\n' >Procfile
start_detached -t 1

# The app's own socket: the directory keeps the other user out.
(cd pub && as_other ./formation --socket "$T/.formation/formation.sock" ps) \
    >out 2>err
assert_eq 1 $? "ps as uid $other: status"
assert_eq "formation: cannot connect to '$T/.formation/formation.sock': Permission denied" \
    "$(cat err)" "ps as uid $other"
"$FORMATION" down >/dev/null || fail "down failed"

# A socket others can reach: the daemon checks who connects.
start_detached -t 1 --socket "$T/pub/ctl.sock"
chmod 666 pub/ctl.sock
(cd pub && as_other ./formation --socket "$T/pub/ctl.sock" ps) >out 2>err
assert_eq 1 $? "ps as uid $other on an open socket: status"
assert_eq "" "$(cat out)" "ps as uid $other on an open socket: stdout"
# The CLI says whose daemon it reached; the daemon says no.
assert_eq "formation: talking to the daemon of uid 0 (root) on '$T/pub/ctl.sock'
formation: permission denied: this formation belongs to uid $(id -u)" \
    "$(cat err)" "ps as uid $other on an open socket"
(cd pub && as_other ./formation --socket "$T/pub/ctl.sock" down) >out 2>err
assert_eq 1 $? "down as uid $other: status"
wait_for 'grep -q "refused a connection from uid $other (pid [0-9]*)" .formation/formation.log' 5 ||
    fail "the refusal was not logged"
# The daemon carries on for its owner.
"$FORMATION" --socket "$T/pub/ctl.sock" ps >out 2>err ||
    fail "ps as the owner: $(cat err)"
assert_grep '^web\.1  *running ' out
"$FORMATION" --socket "$T/pub/ctl.sock" down >/dev/null || fail "down failed"
[ -e pub/ctl.sock ] && fail "the socket was left behind"
assert_no_survivors
exit 0

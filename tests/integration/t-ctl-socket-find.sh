#!/bin/sh
# How the CLI finds a running daemon: from any subdirectory of the app
# (the nearest ancestor with a Procfile), with -C, and from anywhere with
# --socket or FORMATION_SOCKET, --socket first.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || skip "no python3"

mkdir -p app/lib/deep other
printf 'web: exec sleep 600\n' >app/Procfile
printf 'web: exec sleep 601\n' >other/Procfile
cd app || fail "cd app"
start_detached -t 1
cd "$T" || fail "cd $T"
sock=$T/app/.formation/formation.sock
pid=$(cd app && ps_field web.1 pid)
assert_eq web.1 "$(env_of "$pid" PS)" "PS of web.1"

# ps names the pid of app's web.1 wherever it is asked from.
ps_from() {	# dir [global options]
	_d=$1
	shift
	(cd "$_d" && "$FORMATION" "$@" ps) >out 2>err ||
	    fail "ps from $_d $*: $(cat err)"
	grep -q "^web\.1  *running  *$pid " out ||
	    fail "ps from $_d $* did not reach app: $(cat out)"
}
ps_from app/lib/deep
ps_from / -C "$T/app/lib"
ps_from / --socket "$sock"
(export FORMATION_SOCKET="$sock"; ps_from /) || exit 1
# The variable wins over the Procfile of the working directory...
(export FORMATION_SOCKET="$sock"; ps_from other) || exit 1
# ... and --socket over the variable.
(export FORMATION_SOCKET="$T/other/none.sock"
    ps_from other --socket "$sock") || exit 1
# A relative --socket is relative to the working directory.
ps_from app/lib --socket ../.formation/formation.sock
# other has no daemon: it does not borrow app's.
(cd other && "$FORMATION" ps) >out 2>err
assert_eq 1 $? "ps in other"

(cd app/lib && "$FORMATION" down) >/dev/null || fail "down from app/lib"
assert_no_survivors
exit 0

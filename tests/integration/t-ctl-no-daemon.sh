#!/bin/sh
# With no daemon up, every command that needs one says so in one line,
# naming the app root and the socket it tried, and exits 1 (down says
# so and exits 0: t-ctl-down); from a subdirectory, the app is the
# nearest ancestor that holds a Procfile.
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 600\n' >Procfile
root=$(pwd -P)

each_command() {	# expected-message [global options]
	_msg=$1
	shift
	for cmd in "ps" "ps --json" "scale web=2" "restart" "restart web" \
	    "stop web" "start web.1" "logs" "logs -f -n 5 web" "env" \
	    "env --origin --json"; do
		# shellcheck disable=SC2086
		"$FORMATION" "$@" $cmd >out 2>err
		rc=$?
		assert_eq 1 $rc "status of '$cmd' with no daemon"
		assert_eq "" "$(cat out)" "stdout of '$cmd' with no daemon"
		assert_eq "$_msg" "$(cat err)" "stderr of '$cmd' with no daemon"
	done
}

each_command "formation: no formation is up in '$root' (socket '.formation/formation.sock')"

# The nearest ancestor with a Procfile, from a subdirectory.
mkdir -p a/b/c
cd a/b/c || fail "cd a/b/c"
each_command "formation: no formation is up in '$root' (socket '.formation/formation.sock')"
cd "$T" || fail "cd $T"
printf 'web: exec sleep 600\n' >a/Procfile
cd a/b || fail "cd a/b"
"$FORMATION" ps >out 2>err
assert_eq "formation: no formation is up in '$root/a' (socket '.formation/formation.sock')" \
    "$(cat err)" "ps under a/b"
cd "$T" || fail "cd $T"
# -C names the directory to start from.
(cd / && "$FORMATION" -C "$T/a/b/c" ps) >out 2>err
assert_eq "formation: no formation is up in '$root/a' (socket '.formation/formation.sock')" \
    "$(cat err)" "ps -C a/b/c"

# An explicit socket: no app root to speak of.
each_command "formation: no formation is up (socket '$T/none.sock')" \
    --socket "$T/none.sock"
FORMATION_SOCKET=$T/env.sock "$FORMATION" ps >out 2>err
assert_eq 1 $? "ps with FORMATION_SOCKET"
assert_eq "formation: no formation is up (socket '$T/env.sock')" \
    "$(cat err)" "ps with FORMATION_SOCKET"
# --socket wins over FORMATION_SOCKET.
FORMATION_SOCKET=$T/env.sock "$FORMATION" --socket "$T/flag.sock" ps \
    >out 2>err
assert_eq "formation: no formation is up (socket '$T/flag.sock')" \
    "$(cat err)" "--socket over FORMATION_SOCKET"
# An empty FORMATION_SOCKET counts as unset.
FORMATION_SOCKET= "$FORMATION" ps >out 2>err
assert_eq "formation: no formation is up in '$root' (socket '.formation/formation.sock')" \
    "$(cat err)" "ps with an empty FORMATION_SOCKET"

# No Procfile anywhere above.
noapp=$(mktemp -d "${TMPDIR:-/tmp}/formation-noapp.XXXXXX")
noapp=$(cd "$noapp" && pwd -P)
d=$noapp
while [ "$d" != / ] && [ ! -e "$d/Procfile" ]; do d=$(dirname "$d"); done
if [ ! -e "$d/Procfile" ]; then
	(cd "$noapp" && "$FORMATION" ps) >out 2>err
	rc=$?
	rmdir "$noapp"
	assert_eq 1 $rc "ps with no Procfile above"
	assert_eq "formation: no formation is up here: no Procfile in '$noapp' or any parent directory" \
	    "$(cat err)" "ps with no Procfile above"
else
	rmdir "$noapp"
	echo "note: '$d/Procfile' exists: no-Procfile case not checked"
fi

# A socket file that nothing listens on is "not up" too.
command -v python3 >/dev/null || exit 0
mkdir -p .formation
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
    .formation/formation.sock || fail "cannot bind a socket"
"$FORMATION" ps >out 2>err
assert_eq 1 $? "ps on a dead socket"
assert_eq "formation: no formation is up in '$root' (socket '.formation/formation.sock')" \
    "$(cat err)" "ps on a dead socket"
exit 0

# Sourced by the tests of tests/systemd, which run as root inside the
# booted container of tests/systemd/run: systemd is PID 1, formation and
# formationd are in /usr/local/bin, the source tree is /opt/formation.
#
# Each test makes its own apps (/srv/NAME, owned by the user deploy) and
# units, and removes them at exit. Exit status: 0 pass, 1 fail.

set -u
SRC=/opt/formation
UNITS=/etc/systemd/system
APPS=""		# the apps to remove at exit
UNITS_MADE=""	# the units to stop and remove at exit

fail() {
	echo "FAIL: $*"
	for u in $UNITS_MADE; do
		echo "--- systemctl status $u"
		systemctl status --no-pager --lines=0 "$u" 2>&1 | head -n 15
		echo "--- journalctl -u $u (last 25 lines)"
		journalctl -u "$u" --no-pager -n 25 -o short-monotonic 2>&1
	done
	exit 1
}

cleanup() {
	rc=$?
	for u in $UNITS_MADE; do
		systemctl stop "$u" >/dev/null 2>&1
		systemctl reset-failed "$u" >/dev/null 2>&1
		rm -rf "$UNITS/$u" "$UNITS/$u.d"
	done
	[ -n "$UNITS_MADE" ] && systemctl daemon-reload
	for a in $APPS; do rm -rf "$a"; done
	exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# wait_for "shell condition" [seconds]: poll until true; 1 on timeout.
wait_for() {
	_limit=$(( ${2:-10} * 10 ))
	_i=0
	while ! eval "$1" >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ $_i -ge $_limit ] && return 1
		sleep 0.1
	done
	return 0
}

assert_eq() {	# expected actual what
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

assert_grep() {	# pattern file
	grep -q -- "$1" "$2" || fail "no '$1' in $2: $(cat "$2")"
}

# The user that apps run as.
id deploy >/dev/null 2>&1 ||
	useradd --create-home --shell /bin/sh deploy || fail "useradd deploy"

# make_app NAME PROCFILE-TEXT: ROOT=/srv/NAME, owned by deploy.
make_app() {
	ROOT=/srv/$1
	rm -rf "$ROOT"
	mkdir -p "$ROOT" || fail "mkdir $ROOT"
	printf '%s\n' "$2" >"$ROOT/Procfile"
	chown -R deploy: "$ROOT"
	APPS="$APPS $ROOT"
}

# install_unit ROOT [export options]: export the app's unit into
# /etc/systemd/system and load it: UNIT is its name.
install_unit() {
	_root=$1
	shift
	_out=$(cd "$_root" && formation export systemd "$@" "$UNITS" 2>&1) ||
		fail "export in $_root: $_out"
	UNIT=$(basename "$(echo "$_out" | tail -n 1)")
	UNITS_MADE="$UNITS_MADE $UNIT"
	systemctl daemon-reload
}

prop() {	# unit property
	systemctl show -P "$2" "$1"
}

# The socket of a unit made by export.
socket_of() {
	echo "/run/${1%.service}/formation.sock"
}

# fm UNIT ARGS: the CLI, on the unit's socket.
fm() {
	_u=$1
	shift
	formation --socket "$(socket_of "$_u")" "$@"
}

# Pids in the unit's cgroup (every hierarchy systemd keeps one in).
cgroup_pids() {
	_cg=$(prop "$1" ControlGroup)
	[ -n "$_cg" ] || return 0
	cat "/sys/fs/cgroup/systemd$_cg/cgroup.procs" \
	    "/sys/fs/cgroup/unified$_cg/cgroup.procs" 2>/dev/null | sort -u
}

# An HTTP GET on localhost; the body on stdout.
http_get() {	# port [path]
	# (busybox 1.35's wget -T crashes)
	timeout 5 busybox wget -q -O - "http://127.0.0.1:$1${2:-/}" 2>/dev/null
}

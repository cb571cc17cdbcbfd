#!/bin/sh
# Install the peers the bench compares formation with, where missing:
# foreman (Debian's ruby-foreman), node-foreman (npm's foreman, binary nf;
# nodejs and npm from Debian first if needed), supervisord (Debian's
# supervisor) and hyperfine (Debian). As root, or with sudo. A peer that
# cannot be installed is left out: its column says "not available" and
# the bench goes on, so this script always exits 0.
#
# Note that Debian's supervisor package enables a system supervisord
# service; the bench runs its own supervisord on a private socket.

. "$(dirname "$0")/lib.sh"

sudo=""
if [ "$(id -u)" != 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		say "bench: not root and no sudo: cannot install the peers"
		exit 0
	fi
	sudo="sudo"
fi
updated=0

apt_install() {	# package...
	command -v apt-get >/dev/null 2>&1 || {
		say "bench: no apt-get: cannot install $*"
		return 1
	}
	if [ $updated = 0 ]; then
		$sudo apt-get update -qq >/dev/null 2>&1
		updated=1
	fi
	say "bench: installing $*"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
	    --no-install-recommends "$@" >/dev/null 2>&1 || {
		say "bench: could not install $*"
		return 1
	}
}

have python3 || apt_install python3
have hyperfine || apt_install hyperfine
have foreman || apt_install ruby-foreman
have supervisord || apt_install supervisor
if ! have nf; then
	have npm || apt_install nodejs npm
	if have npm; then
		say "bench: installing node-foreman (npm install -g foreman)"
		$sudo npm install -g --no-audit --no-fund foreman >/dev/null 2>&1 ||
		    say "bench: could not install node-foreman"
	fi
fi
exit 0

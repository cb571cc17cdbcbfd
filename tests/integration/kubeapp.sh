# Sourced by the tests of formation export kubernetes and compose, after
# lib.sh: kube_app makes the app $T/shop (web prints its environment and
# serves; envdump prints it and exits with $1), values that YAML, the
# shell and the engines would each take apart, and its release v1.
# kube_need CMD PACKAGE installs a Debian package that is missing (as
# root, where apt-get is), else skips.

kube_need() {	# command package
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing $2 (for $1)"
		DEBIAN_FRONTEND=noninteractive timeout 150 apt-get install -y \
		    -qq "$2" >"$T/apt.log" 2>&1 ||
		    skip "$1 is not installed, and apt-get install $2 failed: $(tail -n 1 "$T/apt.log")"
	fi
	command -v "$1" >/dev/null 2>&1 ||
		skip "$1 is not installed (Debian package $2)"
}

kube_app() {
	app="$T/shop"
	mkdir -p "$app/bin" || fail "mkdir $app"
	cat >"$app/Procfile" <<'PROCFILE'
web: sh bin/web
worker: sh bin/envdump 0
release: sh bin/envdump 0
PROCFILE
	cat >"$app/bin/web" <<'SCRIPT'
#!/bin/sh
env
exec busybox httpd -f -p "127.0.0.1:$PORT" -h bin
SCRIPT
	cat >"$app/bin/envdump" <<'SCRIPT'
#!/bin/sh
env
exit "$1"
SCRIPT
	# Quotes, "$", "$(", a backslash, '#', a tab, a newline, UTF-8.
	cat >"$app/.env" <<'ENV'
DATABASE_URL=postgres://db/shop?a=1&b=2
S='$HOME $(x) $$ "q" back\slash #h'
N="line1\nline2\ttab"
U=café € ✓
Q="a \"quoted\" word: yes"
NUM=0755
EMPTY=
ENV
	# The worker does not run here (-m worker=0); its ready check is for
	# the exports.
	printf '[process.worker]\nready = http:/healthz\nready_timeout = 20\n' \
	    >"$app/formation.ini"
	chmod 644 "$app/Procfile" "$app/.env" "$app/formation.ini"
	cd "$app" || fail "cd $app"
	start_detached -t 1 -m worker=0 >/dev/null
	"$FORMATION" down >/dev/null 2>&1 || fail "down"
	DAEMON_PID=""
}

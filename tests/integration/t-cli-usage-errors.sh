#!/bin/sh
# Every error of every command starts with "formation: " (none from
# getopt under the command's bare name, none from formationd under up),
# and a usage error exits 2: a bad option, a bad value of -m, -p or -t.
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 600\n' >Procfile

# usage_error WHAT CMD...: status 2, nothing on stdout, every line of
# stderr ours, the first one an error, a usage line after it.
usage_error() {
	_what=$1
	shift
	"$FORMATION" "$@" >out 2>err </dev/null
	assert_eq 2 $? "status of $_what"
	assert_eq "" "$(cat out)" "stdout of $_what"
	grep -v -e '^formation: ' -e '^usage: formation ' -e '^       formation ' \
	    -e '^  *\[' err >stray
	[ ! -s stray ] || fail "$_what: not ours: $(cat stray)"
	case $(head -n 1 err) in
	"formation: "*) ;;
	*) fail "$_what: first line '$(head -n 1 err)'" ;;
	esac
	assert_no_grep '^formationd' err
}

for cmd in up down ps scale restart stop start kill logs top env reload \
    releases "releases diff" "releases show" rollback run oneoff check \
    export completion version; do
	# shellcheck disable=SC2086
	usage_error "'$cmd --bogus'" $cmd --bogus
	# shellcheck disable=SC2086
	usage_error "'$cmd -%'" $cmd -%
done
usage_error "releases show --bogus" releases show --bogus
assert_eq "formation: releases show: unrecognized option '--bogus'" \
    "$(head -n 1 err)" "releases show --bogus"
usage_error "ps -%" ps -%
assert_eq "formation: ps: invalid option -- '%'" "$(head -n 1 err)" "ps -%"

# The values of up's flags are checked before anything starts.
usage_error "up -m web=-1" up -m web=-1
assert_eq "formation: -m: bad count '-1' for 'web': expected a number from 0 to 10000" \
    "$(cat err)" "up -m web=-1"
usage_error "up -p 99999" up -p 99999
assert_eq "formation: -p: bad port '99999': expected 1-65535" "$(cat err)" \
    "up -p 99999"
usage_error "up -t abc" up -t abc
assert_eq "formation: -t: bad timeout 'abc': expected seconds (10, 0.5)" \
    "$(cat err)" "up -t abc"
usage_error "up -d -t abc" up -d -t abc
usage_error "up --bogus" up --bogus
assert_eq "formation: unrecognized option '--bogus'" "$(head -n 1 err)" \
    "up --bogus"
[ ! -S .formation/formation.sock ] || fail "a usage error left a socket"

# A configuration error is still one (78), named as formation's.
printf 'web exec sleep 600\n' >Procfile
"$FORMATION" up >out 2>err
assert_eq 78 $? "up with a bad Procfile"
assert_grep '^formation: Procfile: no process types defined' err
printf 'web: exec sleep 600\n' >Procfile
# A file named on the command line that is not there is one too, even
# one whose name looks like a flag; so is a type -m names that is not.
for args in "-f nosuch" "-e -x" "-m nosuch=1"; do
	# shellcheck disable=SC2086
	"$FORMATION" up -t 1 $args >out 2>err
	assert_eq 78 $? "up $args"
	assert_grep '^formation: ' err
done

# Values and global options.
usage_error "logs -n abc" logs -n abc
usage_error "--timeout abc" --timeout abc ps
usage_error "ps --timeout abc" ps --timeout abc
usage_error "scale web" scale web
usage_error "a bare --socket" ps --socket
assert_no_survivors
exit 0

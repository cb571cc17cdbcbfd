#!/bin/sh
# PORT, PS and FORMATION_RELEASE of each instance: base + 100 x the type's
# index in the Procfile + (instance - 1); the base from -p, else PORT of
# the release environment (here from .env), else 5000.
. "$(dirname "$0")/lib.sh"
unset PORT PS FORMATION_RELEASE

cat >Procfile <<'P'
web: echo "env PS=$PS PORT=$PORT REL=$FORMATION_RELEASE"; exec sleep 1000
worker: echo "env PS=$PS PORT=$PORT REL=$FORMATION_RELEASE"; exec sleep 1000
P

# run "PORTS" RELEASE ARGS...: start, wait for three instances, check,
# stop.
run() {
	ports=$1
	rel=$2
	shift 2
	start_up "$@"
	wait_for '[ "$(up_count "| env PS=")" -ge 3 ]' ||
	    fail "three instances did not report (up $*)"
	set -- $ports
	assert_grep "web\.1 *| env PS=web\.1 PORT=$1 REL=$rel\$" up.log
	assert_grep "web\.2 *| env PS=web\.2 PORT=$2 REL=$rel\$" up.log
	assert_grep "worker\.1 *| env PS=worker\.1 PORT=$3 REL=$rel\$" up.log
	assert_eq 3 "$(up_count "| env PS=")" "instances started"
	stop_up
	assert_no_survivors
}

run "5000 5001 5100" v1 -m web=2,worker=1
run "6000 6001 6100" v1 -m web=2,worker=1 -p 6000
# A new environment is a new release.
echo PORT=7000 >.env
run "7000 7001 7100" v2 -m web=2,worker=1
# The flag wins over the release environment.
run "6000 6001 6100" v2 -m web=2,worker=1 -p 6000
exit 0

#!/bin/sh
# Usage errors exit 2 with a usage line; --help exits 0.
. "$(dirname "$0")/lib.sh"

printf 'web: bin/web\n' >Procfile
for args in "--bogus" "-x" "extra" "-f" "--json --procfile"; do
	# shellcheck disable=SC2086
	"$FORMATION" check $args >out 2>err
	assert_eq 2 $? "exit status of 'check $args'"
	assert_grep '^usage: formation check ' err
	assert_eq "" "$(cat out)" "stdout of 'check $args'"
done
"$FORMATION" check --bogus 2>err
assert_grep "^formation: check: unknown option '--bogus'$" err

"$FORMATION" check --help >out 2>err
assert_eq 0 $? "exit status of --help"
assert_grep '^usage: formation check ' out
exit 0

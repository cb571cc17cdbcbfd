#!/bin/sh
# When formation down returns, the daemon is gone from the file system:
# no socket, no lock, and the next up starts at once.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: exec sleep 1000
P
for i in 1 2 3 4 5; do
	timeout 20 "$FORMATION" up -d >out 2>err ||
	    fail "up -d, round $i: $(cat err)"
	timeout 20 "$FORMATION" down >out 2>&1 ||
	    fail "down, round $i: $(cat out)"
	[ ! -e .formation/formation.sock ] ||
	    fail "the socket outlived down, round $i"
	[ ! -e .formation/formation.sock.lock ] ||
	    fail "the lock outlived down, round $i"
	assert_no_survivors
done
exit 0

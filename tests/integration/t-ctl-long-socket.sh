#!/bin/sh
# A socket path longer than sun_path (108 bytes) works: the daemon binds
# it and the CLI connects to it through the directory's descriptor.
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 600\n' >Procfile
deep=$T
while [ ${#deep} -lt 200 ]; do deep=$deep/a-rather-long-directory-name; done
mkdir -p "$deep"
sock=$deep/formation.sock
[ ${#sock} -gt 108 ] || fail "the path is only ${#sock} bytes"

start_detached -t 1 --socket "$sock"
[ -S "$sock" ] || fail "no socket at the long path"
assert_eq 600 "$(stat -c %a "$sock")" "mode of the socket"
"$FORMATION" --socket "$sock" ps >out 2>err || fail "ps: $(cat err)"
assert_grep '^web\.1  *running ' out
FORMATION_SOCKET=$sock "$FORMATION" ps >out 2>err ||
    fail "ps with FORMATION_SOCKET: $(cat err)"
(cd "$deep" && "$FORMATION" --socket formation.sock ps) >out 2>err ||
    fail "ps with a relative path: $(cat err)"
rel=${sock#"$T"/}
[ ${#rel} -gt 108 ] || fail "the relative path is only ${#rel} bytes"
"$FORMATION" --socket "$rel" ps >out 2>err ||
    fail "ps with a long relative path: $(cat err)"
assert_grep '^web\.1  *running ' out

# A bare name too long even through its directory: an error, no crash.
long=$(printf 'a%.0s' $(seq 120))
"$FORMATION" --socket "$long" ps >out 2>err
assert_eq 1 $? "ps on a 120-byte bare name"
assert_eq "formation: cannot connect to '$long': File name too long" \
    "$(cat err)" "ps on a 120-byte bare name"

# A second daemon on it is refused; then down, and the path is free.
"$FORMATION" up -d -t 1 --socket "$sock" >out 2>err
assert_eq 1 $? "second up on the long socket"
assert_grep 'a formation is already up here' err
"$FORMATION" --socket "$sock" down >/dev/null || fail "down failed"
[ -e "$sock" ] && fail "the socket was left behind"
assert_no_survivors

# No daemon: the usual message, with the path.
"$FORMATION" --socket "$sock" ps >out 2>err
assert_eq 1 $? "ps with none up"
assert_eq "formation: no formation is up (socket '$sock')" "$(cat err)" \
    "ps with none up"
exit 0

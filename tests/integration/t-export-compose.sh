# formation export compose: Debian's docker-compose (1.29) takes the file
# as it is (config -q, offline), with no variable of the caller's shell
# read into it, and the release phase under its profile.
. "$(dirname "$0")/lib.sh"
. "$TESTS_TOP/tests/integration/kubeapp.sh"

kube_need docker-compose docker-compose
kube_app

"$FORMATION" export compose "$T/dc.yml" --image reg.example/shop:1 \
    -m web=2,worker=0 >"$T/out" 2>"$T/err" ||
	fail "export compose exited $?: $(cat "$T/err")"
assert_eq "$T/dc.yml" "$(cat "$T/out")" "the file export prints"

dc() {	# args...
	(cd "$T" && HOME=/caller-home x=caller-x timeout 60 docker-compose \
	    -f "$T/dc.yml" "$@")
}
dc config -q >"$T/cout" 2>"$T/cerr" ||
	fail "docker-compose config -q exited $?: $(cat "$T/cerr")"
[ -s "$T/cerr" ] && fail "docker-compose config said: $(cat "$T/cerr")"
dc config >"$T/config" 2>"$T/cerr" ||
	fail "docker-compose config exited $?: $(cat "$T/cerr")"
assert_no_grep caller- "$T/config"
assert_grep '^      replicas: 2$' "$T/config"
assert_grep '^      replicas: 0$' "$T/config"
# The release phase: under its profile, as compose reads it.
assert_eq "release" "$(sed -n '/^  release:$/,/^  [a-z]*:$/p' "$T/config" |
    sed -n '/^    profiles:$/{n;s/^    - //p;}')" "the release service's profile"
# Without the doubling, compose reads "$(" as a broken variable.
sed 's/\$\$/$/g' "$T/dc.yml" >"$T/bad.yml"
(cd "$T" && timeout 60 docker-compose -f "$T/bad.yml" config -q) \
    >"$T/bout" 2>&1 && fail "compose took single dollars: $(cat "$T/bout")"
exit 0

# A release environment larger than 1 MiB (twelve inherited variables of
# 120 KB) still comes back whole through `formation env`.
. "$TESTS_TOP/tests/integration/lib.sh"

printf 'web: sleep 1000\n' > Procfile
big=$(head -c 120000 /dev/zero | tr '\0' x)
i=0
while [ $i -lt 12 ]; do
	export "BIG_$i=$big"
	i=$((i + 1))
done
"$FORMATION" up -d >/dev/null 2>&1 || fail "up -d failed"
i=0
while [ $i -lt 12 ]; do
	unset "BIG_$i"
	i=$((i + 1))
done
"$FORMATION" env > env.out 2> env.err || fail "env failed: $(cat env.err)"
n=$(awk -v want="$big" '/^BIG_[0-9]*=/ && substr($0, index($0, "=") + 1) == want { n++ } END { print n + 0 }' env.out)
assert_eq 12 "$n" "big variables returned whole"
"$FORMATION" down >/dev/null
assert_no_survivors

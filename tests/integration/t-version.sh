# formation --version and formationd --version print the one version of
# common/version.h, and debian/changelog's newest entry agrees with it.
. "$(dirname "$0")/lib.sh"

want=$(sed -n 's/^#define FORMATION_VERSION "\(.*\)"$/\1/p' \
    "$TESTS_TOP/common/version.h")
[ -n "$want" ] || fail "no FORMATION_VERSION in common/version.h"
assert_eq "formation $want" "$("$FORMATION" --version)" "formation --version"
assert_eq "formation $want" "$("$FORMATION" version)" "formation version"
assert_eq "formationd $want" "$("$FORMATIOND" --version)" \
    "formationd --version"
deb=$(sed -n '1s/^formation (\([^)]*\)).*/\1/p' "$TESTS_TOP/debian/changelog")
assert_eq "$want" "$deb" "the version of debian/changelog"

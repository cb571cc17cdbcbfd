#!/bin/sh
# formation logs pads the name column to the widest name among the lines
# it prints, from the first line on, with -f too; and each type has the
# colour in logs that it has in formation up.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
a: echo from-a; exec sleep 600
longer_name: echo from-longer; exec sleep 600
mid: echo from-mid; exec sleep 600
P
start_up -t 1 --color
wait_for '[ "$(up_count "from-")" -ge 3 ]' || fail "not all started"

# aligned FILE WIDEST: every line has its '|' where the widest name puts it.
aligned() {
	_col=$((8 + 1 + ${#2} + 2))
	sed 's/\x1b\[[0-9;]*m//g' "$1" >"$1.plain"
	[ -s "$1.plain" ] || fail "$1 is empty"
	awk -v col="$_col" 'index($0, "|") != col { bad = 1; print }
	    END { exit bad }' "$1.plain" >"$1.bad" ||
	    fail "$1: not aligned at column $_col: $(head -n 3 "$1.bad")"
}

"$FORMATION" logs >out 2>err || fail "logs: $(cat err)"
assert_grep 'longer_name\.1 | from-longer' out
aligned out longer_name.1
# Only a's lines: as wide as a.1, not as the formation's widest.
"$FORMATION" logs a >out 2>err || fail "logs a: $(cat err)"
aligned out a.1
"$FORMATION" logs -n 2 mid system >out 2>err || fail "logs -n 2: $(cat err)"
aligned out system

# -f: the recent lines as one column, then what follows.
"$FORMATION" logs -f >follow.out 2>follow.err &
follower=$!
wait_for 'grep -q from-longer follow.out' || fail "logs -f: $(cat follow.err)"
"$FORMATION" restart longer_name >/dev/null || fail "restart"
wait_for '[ "$(grep -c from-longer follow.out)" -ge 2 ]' ||
    fail "logs -f did not follow: $(cat follow.out)"
kill "$follower"
wait "$follower" 2>/dev/null
aligned follow.out longer_name.1
# Each line once: the recent ones and the followed ones do not overlap.
assert_eq 2 "$(grep -c from-longer follow.out)" "from-longer lines in -f"

# The colour of each type: as up gave it, in logs.
esc=$(printf '\033')
color_of() {	# FILE NAME: the escape that starts NAME's lines
	sed -n "s/^\($esc\[[0-9;]*m\)[0-9:]* $1 *|.*/\1/p" "$2" | sort -u
}
"$FORMATION" --color logs >colored 2>err || fail "logs --color: $(cat err)"
for name in a.1 longer_name.1 mid.1 system; do
	up=$(color_of "$name" "$T/up.log")
	[ -n "$up" ] || fail "no colour for $name in up: $(head -n 3 "$T/up.log")"
	[ "$(echo "$up" | wc -l)" -eq 1 ] || fail "$name has colours $up in up"
	assert_eq "$up" "$(color_of "$name" colored)" "colour of $name in logs"
done
# Three types, three colours.
[ "$(for n in a.1 longer_name.1 mid.1; do color_of $n colored; done |
    sort -u | wc -l)" -eq 3 ] || fail "the types share colours"
stop_up
exit 0

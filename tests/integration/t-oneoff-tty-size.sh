# A tty one-off asked for with -t but no terminal on our side gets a
# window of 24 x 80, or $LINES x $COLUMNS, never 0 x 0; with a terminal,
# its size wins over them.
. "$TESTS_TOP/tests/integration/lib.sh"

command -v python3 >/dev/null || skip "no python3"

echo 'web: exec sleep 1000' >Procfile
start_up -t 1
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

size() {
	"$FORMATION" oneoff -t stty size </dev/null 2>&1 | tr -d '\r'
}
assert_eq "24 80" "$(unset LINES COLUMNS; size)" "size with no terminal"
assert_eq "40 132" "$(LINES=40 COLUMNS=132 size)" "size from LINES, COLUMNS"
assert_eq "24 100" "$(LINES=x COLUMNS=100 size)" "size with a bad LINES"
assert_eq "24 80" "$(LINES=0 COLUMNS=99999 size)" "size out of range"

python3 "$TESTS_TOP/tests/integration/ptydrive.py" --size 30 90 --out out \
    -- env LINES=40 COLUMNS=132 "$FORMATION" oneoff stty size
assert_eq 0 $? "status on a terminal"
assert_eq "30 90" "$(tr -d '\r' <out)" "size of our terminal"

stop_up
assert_no_survivors

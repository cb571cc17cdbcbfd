#!/bin/sh
# Every command has its usage: formation help CMD, CMD --help and CMD -h
# print the same text on stdout and exit 0, with or without a daemon;
# up describes formation up, not formationd. A mistyped command gets the
# nearest one suggested.
. "$(dirname "$0")/lib.sh"

printf 'web: exec sleep 600\n' >Procfile
commands="up down ps scale restart stop start kill logs top env reload
releases rollback run oneoff check export completion help version"

# formation help lists exactly these.
"$FORMATION" help >out 2>err || fail "help: status $?"
sed -n "s/^  \\([a-z_][a-z_]*\\) .*/\\1/p" out | sort >listed
echo $commands | tr ' ' '\n' | sort >want
cmp -s want listed || fail "help lists: $(tr '\n' ' ' <listed)"

for cmd in $commands; do
	"$FORMATION" help "$cmd" >help.out 2>err
	assert_eq 0 $? "status of 'help $cmd'"
	assert_eq "" "$(cat err)" "stderr of 'help $cmd'"
	case $(head -n 1 help.out) in
	"usage: formation $cmd"*) ;;
	*) fail "help $cmd begins '$(head -n 1 help.out)'" ;;
	esac
	assert_eq "See formation(1)." "$(tail -n 1 help.out)" "end of help $cmd"
	[ "$(wc -l <help.out)" -ge 4 ] || fail "help $cmd: $(cat help.out)"
	for flag in --help -h; do
		"$FORMATION" $cmd $flag >out 2>err
		assert_eq 0 $? "status of '$cmd $flag'"
		assert_eq "" "$(cat err)" "stderr of '$cmd $flag'"
		cmp -s help.out out || fail "'$cmd $flag' differs from help"
	done
	# Among other words too, and before globals that come after.
	"$FORMATION" $cmd --help --socket "$T/none.sock" >out 2>err
	assert_eq 0 $? "status of '$cmd --help --socket'"
	cmp -s help.out out || fail "'$cmd --help --socket' differs"
done

# The usage a usage error prints is the one help gives (but up's, which
# points to help, and help's own).
usage_block() {	# FILE: the usage lines, joined, spaces squeezed
	sed -n '/^usage: /,/^$/p' "$1" | tr -s ' \n' '  ' | sed 's/ *$//'
}
for cmd in $commands; do
	case $cmd in up|help) continue ;; esac
	"$FORMATION" help "$cmd" >help.out
	"$FORMATION" $cmd --bogus >out 2>err
	assert_eq "$(usage_block help.out)" "$(usage_block err)" \
	    "the usage of '$cmd --bogus' and of 'help $cmd'"
done

# up is formation up: its own options, no word of formationd.
"$FORMATION" up --help >out 2>err
assert_grep '^ *-d, --detach ' out
assert_no_grep formationd out
"$FORMATION" help up >out
assert_no_grep formationd out
# A subcommand's --help is its command's.
"$FORMATION" releases diff --help >out
assert_grep '^usage: formation releases .* releases diff \[--values\] vA vB' out

# For run and oneoff, what follows the command is the command's own.
"$FORMATION" oneoff -T echo -h >out 2>err
assert_eq 0 $? "oneoff echo -h: status ($(cat err))"
assert_eq "-h" "$(cat out)" "oneoff echo -h: echo's own -h"

# Mistyped: the nearest command, when one is near enough.
for typo in scal:scale stat:start restrat:restart lgos:logs relaod:reload \
    rollbak:rollback; do
	"$FORMATION" "${typo%%:*}" web=1 >out 2>err
	assert_eq 2 $? "status of '${typo%%:*}'"
	assert_eq "formation: unknown command '${typo%%:*}' (did you mean '${typo#*:}'?)" \
	    "$(cat err)" "'${typo%%:*}'"
	assert_eq "" "$(cat out)" "stdout of '${typo%%:*}'"
done
for far in rm x frobnicate; do
	"$FORMATION" "$far" >out 2>err
	assert_eq 2 $? "status of '$far'"
	assert_eq "formation: unknown command '$far' (see 'formation help')" \
	    "$(cat err)" "'$far'"
done
"$FORMATION" help scal >out 2>err
assert_eq 2 $? "status of 'help scal'"
assert_eq "formation: unknown command 'scal' (did you mean 'scale'?)" \
    "$(cat err)" "help scal"
exit 0

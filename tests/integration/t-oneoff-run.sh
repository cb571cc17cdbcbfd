# formation run TYPE ARG...: the type's command from the current release,
# the arguments appended as words; an unknown type lists the types. The
# start and the end of a one-off are system lines naming it and its
# command.
. "$TESTS_TOP/tests/integration/lib.sh"

cat >Procfile <<'EOF2'
web: exec sleep 1000
greet: printf '<%s>' hello
EOF2
start_up -t 1 -m greet=0
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

out=$("$FORMATION" run -T greet a 'b c' "it's" '$HOME' '' '*')
assert_eq 0 $? "status of run"
assert_eq "<hello><a><b c><it's><\$HOME><><*>" "$out" "arguments"
# printf is a builtin: the process is the shell, and the lines say so.
assert_grep "run\.1 started (pid [0-9]*, /bin/sh running the command): printf '<%s>' hello a 'b c' 'it'\\\\''s' '\$HOME' '' '\*'\$" up.log
assert_grep "run\.1 exited with status 0 (the shell's: that of the last command it ran)\$" up.log

"$FORMATION" run -T nope 2>err
assert_eq 1 $? "status of an unknown type"
assert_grep "^formation: unknown process type 'nope' (types: web, greet)$" err

# Options stop at the command: its own options are its own.
out=$("$FORMATION" oneoff -T ls -a -d .)
assert_eq . "$out" "ls -a -d ."
# One argument is a shell command; a newline in it stays out of the log.
out=$("$FORMATION" oneoff -T 'echo a &&
echo b')
assert_eq "a
b" "$out" "a shell command"
assert_grep 'run\.[0-9]* started (pid [0-9]*, /bin/sh running the command): echo a &&  *echo b$' up.log

"$FORMATION" run 2>err
assert_eq 2 $? "run without a type"
assert_grep '^usage: formation run' err
"$FORMATION" oneoff 2>err
assert_eq 2 $? "oneoff without a command"
"$FORMATION" oneoff -d -t true 2>err
assert_eq 2 $? "-d with -t"

stop_up
assert_no_survivors

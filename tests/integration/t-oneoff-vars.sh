# -e KEY=VALUE for oneoff and run: the one-off gets the release's
# environment plus those, over the release's own values; a later -e for a
# key wins; the log's started line names the keys, never the values; the
# caller's own variables are still not passed; bad ones are usage errors.
. "$TESTS_TOP/tests/integration/lib.sh"

cat >Procfile <<'PROCFILE'
web: exec sleep 1000
greet: echo "greet: $GREETING $EXTRA"
PROCFILE
echo 'GREETING=from-the-release' >.env
start_up -t 1 web
wait_for '"$FORMATION" ps >/dev/null 2>&1' || fail "daemon did not start"

# The caller's variables, exported or on the command line, stay out.
export LOCAL_ONLY=exported
got=$(EXTRA=set-here "$FORMATION" oneoff \
    'echo "${LOCAL_ONLY-unset} ${EXTRA-unset} $GREETING"' </dev/null)
assert_eq "unset unset from-the-release" "$got" "without -e"

# -e adds and overrides; the last one for a key wins; a value may hold
# '=', blanks and quotes; an empty one is set and empty.
got=$("$FORMATION" oneoff -e SECRET=first -e GREETING=overridden \
    -e "Q=a=b c 'd'" -e SECRET=hunter2 -e EMPTY= \
    'echo "$SECRET|$GREETING|$Q|${EMPTY-unset}|$PS"' </dev/null)
assert_eq "hunter2|overridden|a=b c 'd'||run.2" "$got" "with -e"
assert_grep 'run\.2 started (pid [0-9]*, /bin/sh running the command) with SECRET, GREETING, Q, EMPTY: echo' \
    up.log
assert_no_grep 'hunter2' up.log
assert_no_grep 'first' up.log

# The everyday case: a program that reads its settings from variables.
got=$("$FORMATION" oneoff -e DJANGO_SUPERUSER_USERNAME=admin \
    -e DJANGO_SUPERUSER_PASSWORD=s3cret python3 -c 'import os
print(os.environ["DJANGO_SUPERUSER_USERNAME"],
      len(os.environ["DJANGO_SUPERUSER_PASSWORD"]))' </dev/null)
assert_eq "admin 6" "$got" "variables of an argv one-off"

# run, attached and detached, takes them too.
got=$("$FORMATION" run -e EXTRA=for-run greet </dev/null)
assert_eq "greet: from-the-release for-run" "$got" "run -e"
name=$("$FORMATION" run -d -e EXTRA=detached greet)
wait_for "grep -q '$name .*exited' up.log" || fail "$name did not end"
assert_grep "$name *| greet: from-the-release detached" up.log

# No PORT unless asked for: -e PORT= is one way.
got=$("$FORMATION" oneoff 'echo ${PORT-none}' </dev/null)
assert_eq none "$got" "PORT of a plain one-off"
got=$("$FORMATION" oneoff -e PORT=4321 'echo $PORT' </dev/null)
assert_eq 4321 "$got" "-e PORT="

for bad in NOVALUE 1X=y =v 'A B=c' 'X-Y=1'; do
	"$FORMATION" oneoff -e "$bad" true 2>err
	assert_eq 2 $? "status of -e '$bad'"
	assert_grep "^formation: bad variable '$bad': not KEY=VALUE$" err
done

stop_up
assert_no_survivors

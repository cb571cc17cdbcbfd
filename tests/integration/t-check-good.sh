#!/bin/sh
# check on a well-formed app: the types, their commands and the env keys on
# stdout, nothing on stderr, exit 0.
. "$(dirname "$0")/lib.sh"

cat >Procfile <<'P'
web: bundle exec puma -p $PORT
worker: bundle exec sidekiq
clock_runner: bin/clock --every 5m
P
cat >.env <<'P'
DATABASE_URL=postgres://localhost/app
REDIS_URL=redis://localhost:6379
P

"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status"
assert_eq "" "$(cat err)" "stderr"
assert_grep '^Procfile: 3 process types$' out
# The name column is padded to the widest name.
assert_grep '^  web           bundle exec puma -p \$PORT$' out
assert_grep '^  worker        bundle exec sidekiq$' out
assert_grep '^  clock_runner  bin/clock --every 5m$' out
assert_grep '^env: 2 keys from \.env$' out
assert_grep '^  DATABASE_URL  REDIS_URL$' out
assert_no_grep 'postgres://' out
# Types are listed in Procfile order.
order=$(sed -n 's/^  \([a-z_]*\)  .*/\1/p' out | tr '\n' ' ')
assert_eq "web worker clock_runner " "$order" "order of the types"

# No .env at all is fine too.
rm .env
"$FORMATION" check >out 2>err
assert_eq 0 $? "exit status without .env"
assert_grep '^env: no env file' out
exit 0

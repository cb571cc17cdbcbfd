# formation run TYPE, for a type whose command reads $PORT: a PORT of its
# own, free at that moment and none of the formation's, so it serves
# beside the formation; the CLI says where when stderr is a terminal; ps
# and the log show it; --port N gives that one, for any one-off.
. "$TESTS_TOP/tests/integration/lib.sh"

command -v python3 >/dev/null || skip "no python3"
free_port() {
	python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
get() {	# port: the body of http://127.0.0.1:PORT/, or nothing
	python3 -c 'import sys, urllib.request
try:
    print(urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1],
                                 timeout=2).read().decode().strip())
except Exception:
    pass' "$1"
}

mkdir www
echo hello-web >www/index.html
cat >Procfile <<'PROCFILE'
web: exec python3 -m http.server ${PORT} --bind 127.0.0.1 --directory www
worker: exec sleep 1000
show: env
PROCFILE
base=$(free_port)
start_up -t 2 -p "$base" web worker
wait_for '[ "$(get $base)" = hello-web ]' || fail "web.1 does not serve"

# Detached, with stderr no terminal: no note, the port in ps and the log.
name=$("$FORMATION" run -d web 2>err)
assert_eq 0 $? "status of run -d web"
[ ! -s err ] || fail "a note without a terminal: $(cat err)"
port=$(ps_field "$name" port)
[ "$port" -gt 0 ] 2>/dev/null || fail "no port for $name: $port"
[ "$port" != "$base" ] && [ "$port" != $((base + 100)) ] ||
    fail "$name has the formation's port $port"
wait_for '[ "$(get $port)" = hello-web ]' || fail "$name does not serve"
assert_eq hello-web "$(get "$base")" "web.1 beside it"
assert_grep "$name started (pid [0-9]*) on port $port: exec python3" up.log
pid=$(ps_field "$name" pid)
assert_eq "$port" "$(env_of "$pid" PORT)" "PORT of $name"
"$FORMATION" stop "$name" >/dev/null
wait_for "[ \"\$(ps_field $name name)\" = None ]" || fail "$name stays"

# On a terminal: "run.N on port P" on stderr, then the server.
python3 "$TESTS_TOP/tests/integration/ptydrive.py" --out out \
    'expect:Serving HTTP' 'send:\x03' -- "$FORMATION" run web
tr -d '\r' <out >out.txt
said=$(sed -n 's/^\(run\.[0-9]*\) on port \([0-9]*\)$/\1 \2/p' out.txt)
[ -n "$said" ] || fail "no note of the port: $(cat out.txt)"
set -- $said
assert_grep "Serving HTTP on 127.0.0.1 port $2 " out.txt
assert_grep "$1 started (pid [0-9]*) on port $2:" up.log

# --port N: that one, for run and for any one-off.
mine=$(free_port)
name=$("$FORMATION" run -d --port "$mine" web)
wait_for '[ "$(get $mine)" = hello-web ]' || fail "no server on --port"
assert_eq "$mine" "$(ps_field "$name" port)" "port of --port in ps"
"$FORMATION" stop "$name" >/dev/null
got=$("$FORMATION" oneoff --port 4567 'echo $PORT' </dev/null)
assert_eq 4567 "$got" "--port for a plain one-off"
# A type that does not read PORT gets none, nor does a plain one-off.
"$FORMATION" run show </dev/null >out || fail "run show: status $?"
assert_grep '^PS=run\.' out
assert_no_grep '^PORT=' out
got=$("$FORMATION" oneoff 'echo ${PORT-none}' </dev/null)
assert_eq none "$got" "PORT of a one-off not asking for one"
"$FORMATION" run --port 0 web 2>err
assert_eq 2 $? "status of --port 0"
assert_grep "^formation: bad port '0'" err

stop_up
assert_no_survivors

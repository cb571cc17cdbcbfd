# Sourced by the bench scripts after lib.sh: start and stop a process
# manager on an app of COUNT processes "sleep ARG", in the foreground of a
# background job, so its pid is the manager's (formation up execs
# formationd; foreman's master, nf's node, supervisord).
#
# mgr_start TOOL DIR COUNT ARG   sets MGR_PID
# mgr_stop TOOL DIR              asks it to stop (formation down,
#                                supervisorctl shutdown, Ctrl-C's SIGINT
#                                to foreman and node-foreman: nf handles
#                                no other signal)
# mgr_wait                       waits for it to exit (20 s, then
#                                SIGKILL)

mgr_app() {	# dir count arg
	printf 's: sleep %s\n' "$3" >"$1/Procfile"
	cat >"$1/supervisord.conf" <<EOF2
[supervisord]
nodaemon = true
logfile = $1/supervisord.log
pidfile = $1/supervisord.pid
childlogdir = $1
minfds = 8192
minprocs = 4096

[unix_http_server]
file = $1/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl = unix://$1/supervisor.sock

[program:s]
command = sleep $3
numprocs = $2
process_name = %(program_name)s_%(process_num)d
startsecs = 0
redirect_stderr = true
stdout_logfile = $1/%(program_name)s_%(process_num)d.log
EOF2
}

mgr_command() {	# tool count
	case $1 in
	formation) echo "$FORMATION up -m s=$2" ;;
	foreman) echo "foreman start -m s=$2" ;;
	nf) echo "nf start s=$2" ;;
	supervisord) echo "supervisord -c supervisord.conf" ;;
	esac
}

mgr_stop_command() {	# tool
	case $1 in
	formation) echo "$FORMATION down" ;;
	supervisord) echo "supervisorctl -c supervisord.conf shutdown" ;;
	*) echo "kill -INT PID" ;;
	esac
}

mgr_start() {	# tool dir count arg
	mgr_app "$2" "$3" "$4"
	_mg_cmd=$(mgr_command "$1" "$3")
	(cd "$2" && exec $_mg_cmd >"$2/manager.log" 2>&1) &
	MGR_PID=$!
}

mgr_stop() {	# tool dir
	case $1 in
	formation|supervisord)
		(cd "$2" && $(mgr_stop_command "$1") >/dev/null 2>&1) ;;
	*)	kill -INT "$MGR_PID" 2>/dev/null ;;
	esac
}

mgr_wait() {
	_mg_i=0
	while kill -0 "$MGR_PID" 2>/dev/null && [ $_mg_i -lt 400 ]; do
		sleep 0.05
		_mg_i=$((_mg_i + 1))
	done
	kill -KILL "$MGR_PID" 2>/dev/null
	wait "$MGR_PID" 2>/dev/null
	return 0
}

# Leave nothing behind after a run, whatever happened.
mgr_cleanup() {	# arg
	python3 "$BENCH_TOP/bench/procs.py" kill "$1"
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1;
	    if (NR % 2) print v[(NR + 1) / 2];
	    else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Time a command (argv, no shell) RUNS times; print "MEDIAN MIN" in
# seconds. hyperfine where there is one, else a loop in python.
time_command() {	# runs command...
	_tc_runs=$1
	shift
	if have hyperfine; then
		_tc_json=$(mktemp "${BENCH_TMP:-${TMPDIR:-/tmp}}/hf.XXXXXX")
		hyperfine -N -w 3 -r "$_tc_runs" --export-json "$_tc_json" \
		    -- "$*" >/dev/null 2>&1 || { rm -f "$_tc_json"; return 1; }
		python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.6f %.6f" % (r["median"], r["min"]))' \
		    "$_tc_json"
		rm -f "$_tc_json"
	else
		python3 "$BENCH_TOP/bench/procs.py" time "$_tc_runs" "$@"
	fi
}

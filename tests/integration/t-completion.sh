# The completion scripts of bash, zsh and fish, loaded as each shell
# loads them, offer the commands, the running daemon's processes, the
# Procfile's types and the releases on disk; with no daemon, or one that
# does not answer, they offer no names and say nothing.
. "$(dirname "$0")/lib.sh"

command -v bash >/dev/null || skip "no bash"
export LC_ALL=C
printf 'web: exec sleep 1000\nworker: exec sleep 1000\n' >Procfile
"$FORMATION" completion bash >formation.bash || fail "completion bash"
"$FORMATION" completion nosh >out 2>&1
assert_eq 2 $? "completion of an unknown shell"
assert_grep "no completion for 'nosh'" out

# bash: COMPREPLY for the words given, sorted, on one line.
complete_bash() {	# WORD... (the last is the one being completed)
	T=$T bash -c '
source "$T/formation.bash"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
_formation
[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' x "$FORMATION" "$@"
}

# No daemon: no process names, nothing on stderr; types and commands
# still come from the Procfile and the command table.
assert_eq "" "$(complete_bash restart "" 2>err)" "targets with no daemon"
[ ! -s err ] || fail "completion said something: $(cat err)"
assert_eq "web worker " "$(complete_bash up "")" "types with no daemon"
assert_eq "releases reload restart " "$(complete_bash re)" "commands"
assert_eq "" "$(complete_bash rollback "")" "releases before any"
assert_eq "--timestamps=clock --timestamps=iso --timestamps=none " \
    "$(complete_bash logs --tim)" "logs flags"
assert_eq "--json " "$(complete_bash logs --j)" "logs --json"
assert_eq "--listen " "$(complete_bash run --li)" "run --listen"
assert_eq "" "$(complete_bash oneoff --li)" "no --listen for oneoff"

start_detached -m web=2
assert_eq "web web.1 web.2 worker worker.1 " "$(complete_bash restart "")" \
    "targets"
assert_eq "web.1 web.2 " "$(complete_bash logs web.)" "instances"
assert_eq "web= worker= " "$(complete_bash scale "")" "scale"
assert_eq "v1 " "$(complete_bash rollback "")" "releases"
assert_eq "compose kubernetes systemd " "$(complete_bash export "")" \
    "export formats"
assert_eq "web web.1 web.2 worker worker.1 " \
    "$(cd / && complete_bash -C "$T" stop "")" "-C names the app"
echo 'X=1' >.env
"$FORMATION" reload >/dev/null || fail "reload"
assert_eq "diff show v1 v2 " "$(complete_bash releases "")" "releases"

# zsh, with compadd standing in for the widget's (it only works inside
# one): the same answers from the same daemon.
if command -v zsh >/dev/null; then
	"$FORMATION" completion zsh >_formation || fail "completion zsh"
	got=$(zsh -f -c '
compadd() {
	local arr=0 skip=0 a
	for a in "$@"; do
		if (( skip )); then skip=0; continue; fi
		case $a in
		-a) arr=1 ;;
		-S) skip=1 ;;
		-*) ;;
		*) if (( arr )); then print -rl -- ${(P)a}; else print -r -- $a; fi ;;
		esac
	done
}
compdef() { : }
source ./_formation
words=("$1" restart ""); CURRENT=3; PREFIX=""
__formation | sort | tr "\n" " "' x "$FORMATION")
	assert_eq "web web.1 web.2 worker worker.1 " "$got" "zsh targets"
else
	echo "zsh not installed: its script not tried"
fi

# fish answers "complete -C" as it would at a prompt.
if command -v fish >/dev/null; then
	"$FORMATION" completion fish >formation.fish || fail "completion fish"
	got=$(fish -c 'source ./formation.fish
complete -C "$argv[1] restart "' "$FORMATION" | sort | tr '\n' ' ')
	assert_eq "web web.1 web.2 worker worker.1 " "$got" "fish targets"
else
	echo "fish not installed: its script not tried"
fi

# A daemon that does not answer: no names, no words, and soon.
kill -STOP "$DAEMON_PID"
start=$(now)
assert_eq "" "$(complete_bash restart "" 2>err)" "targets of a stopped daemon"
[ ! -s err ] || fail "completion said something: $(cat err)"
ge 5 "$(elapsed "$start")" || fail "completion waited $(elapsed "$start") s"
kill -CONT "$DAEMON_PID"
"$FORMATION" down >/dev/null || fail "down"
assert_no_survivors

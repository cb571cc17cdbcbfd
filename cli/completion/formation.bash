# bash completion for formation(1); `formation completion bash` prints it.
# Commands and flags come from formation itself (the command table and
# `formation help CMD`), process names from the running daemon, types
# from the Procfile and versions from .formation/releases: all through
# `formation __complete`, which prints nothing when it has nothing.

# The -C and --socket of the command line being completed, for __complete.
_formation_globals=()

_formation_ask() {	# KIND [ARG]
	"${COMP_WORDS[0]}" "${_formation_globals[@]}" __complete "$@" \
	    2>/dev/null
}

# The flags of a command, as its help spells them and as __complete
# flags lists them.
_formation_flags() {	# CMD
	{
		"${COMP_WORDS[0]}" "${_formation_globals[@]}" help "$1" 2>&1 |
		    grep -oE -- '(^|[[ |])--?[A-Za-z][-A-Za-z0-9]*=?' |
		    sed 's/^[^-]*//' | grep -v '=$'
		_formation_ask flags "$1"
	} | sort -u
}

_formation() {
	local cur prev cmd="" i=1 w words
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	_formation_globals=()
	# The global options, then the command.
	while [ "$i" -lt "$COMP_CWORD" ]; do
		w=${COMP_WORDS[i]}
		case $w in
		-C|--socket|--timeout|-H)
			_formation_globals+=("$w" "${COMP_WORDS[i+1]}")
			i=$((i + 2)); continue ;;
		-*) i=$((i + 1)); continue ;;
		esac
		cmd=$w
		break
	done
	case $prev in
	-C|-f|-c|-e|--socket)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [ -z "$cmd" ]; then
		if [ "${cur#-}" != "$cur" ]; then
			words="-C --socket --color --no-color --timeout --help --version"
		else
			words=$(_formation_ask commands)
		fi
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	if [ "${cur#-}" != "$cur" ]; then
		COMPREPLY=($(compgen -W "$(_formation_flags "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	restart|stop|start|logs|kill)
		words=$(_formation_ask targets) ;;
	up|run)
		words=$(_formation_ask types) ;;
	scale)
		words=$(_formation_ask types | sed 's/$/=/')
		compopt -o nospace 2>/dev/null ;;
	rollback)
		words=$(_formation_ask releases) ;;
	releases)
		words="diff show $(_formation_ask releases)" ;;
	export)
		if [ "$i" -eq $((COMP_CWORD - 1)) ]; then
			words=$(_formation_ask exports)
		else
			COMPREPLY=($(compgen -d -- "$cur")); return
		fi ;;
	help)
		words=$(_formation_ask commands) ;;
	completion)
		words="bash zsh fish" ;;
	oneoff)
		COMPREPLY=($(compgen -c -- "$cur")); return ;;
	*)
		return ;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _formation formation

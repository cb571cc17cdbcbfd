# fish completion for formation(1); `formation completion fish` prints it.
# The names come from `formation __complete` (see the bash script), which
# prints nothing when it has nothing.

# The -C, --socket and --timeout of the command line, then the command.
function __formation_scan
	set -l toks (commandline -opc)
	set -g __formation_bin $toks[1]
	set -e toks[1]
	set -g __formation_globals
	while set -q toks[1]
		switch $toks[1]
			case -C --socket --timeout -H
				set -a __formation_globals $toks[1..2]
				set -e toks[1..2]
			case '-*'
				set -e toks[1]
			case '*'
				echo $toks[1]
				return 0
		end
	end
	return 1
end

function __formation_ask	# KIND [ARG]
	__formation_scan >/dev/null
	$__formation_bin $__formation_globals __complete $argv 2>/dev/null
end

function __formation_using	# COMMAND...
	set -l cmd (__formation_scan)
	and contains -- $cmd $argv
end

function __formation_flags
	set -l cmd (__formation_scan)
	begin
		$__formation_bin $__formation_globals help $cmd 2>&1 |
		    string match -ar -- '(?:^|[[ |])(--?[A-Za-z][-A-Za-z0-9]*=?)' |
		    string match -r -- '^--?[A-Za-z][-A-Za-z0-9]*$'
		$__formation_bin $__formation_globals __complete flags $cmd \
		    2>/dev/null
	end | sort -u
end

complete -c formation -f
complete -c formation -n 'not __formation_scan >/dev/null' \
	-a '(__formation_ask commands)'
complete -c formation -n 'not __formation_scan >/dev/null' \
	-a '-C --socket --color --no-color --timeout --help --version'
complete -c formation -n '__formation_scan >/dev/null; and string match -q -- "-*" (commandline -ct)' \
	-a '(__formation_flags)'
complete -c formation -n '__formation_using restart stop start logs kill' \
	-a '(__formation_ask targets)'
complete -c formation -n '__formation_using up run' \
	-a '(__formation_ask types)'
complete -c formation -n '__formation_using scale' \
	-a '(__formation_ask types | string replace -r "\$" "=")'
complete -c formation -n '__formation_using rollback releases' \
	-a '(__formation_ask releases)'
complete -c formation -n '__formation_using releases' -a 'diff show'
complete -c formation -n '__formation_using export' \
	-a '(__formation_ask exports)'
complete -c formation -n '__formation_using help' \
	-a '(__formation_ask commands)'
complete -c formation -n '__formation_using completion' -a 'bash zsh fish'
complete -c formation -n '__formation_using oneoff' -a '(__fish_complete_command)'

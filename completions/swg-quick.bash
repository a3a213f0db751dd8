# bash completion for swg-quick(8), a drop-in replacement for wg-quick(8).
# Installed as .../bash-completion/completions/swg-quick; can also be sourced directly.

_swg_quick() {
	local cur=${COMP_WORDS[COMP_CWORD]} verb=${COMP_WORDS[1]-} f name
	local -a a

	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "--help" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "up down save strip" -- "$cur")
		fi
		return
	fi
	((COMP_CWORD == 2)) || return

	case $verb in
	up | save | strip)
		# Configuration names (/etc/wireguard/NAME.conf), then paths: *.conf files
		# and directories to descend into.
		if [[ $cur != */* ]]; then
			for f in /etc/wireguard/*.conf; do
				[[ -e $f ]] || continue
				name=${f##*/}
				name=${name%.conf}
				[[ $name == "$cur"* ]] && COMPREPLY+=("$name")
			done
		fi
		mapfile -t a < <(compgen -f -X '!*.conf' -- "$cur")
		COMPREPLY+=("${a[@]}")
		mapfile -t a < <(compgen -d -- "$cur")
		COMPREPLY+=("${a[@]}")
		;;
	down)
		# Running interfaces; a path to a configuration file works too.
		if [[ $cur == */* ]]; then
			mapfile -t a < <(compgen -f -X '!*.conf' -- "$cur")
			COMPREPLY+=("${a[@]}")
			mapfile -t a < <(compgen -d -- "$cur")
			COMPREPLY+=("${a[@]}")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(swg show interfaces 2>/dev/null)" -- "$cur")
		fi
		;;
	esac
}

complete -o filenames -o nosort -F _swg_quick swg-quick

# bash completion for swg(8), a drop-in replacement for wg(8).
# Installed as .../bash-completion/completions/swg; can also be sourced directly.

# _swg_words: readline splits words at COMP_WORDBREAKS characters, and base64 keys
# end in '=', endpoints contain ':' and IPv6 prefixes '::'. Rebuild the words the
# shell will really pass (pieces with no blank between them belong together) into
# the arrays _swg_w and index _swg_cw. Without COMP_LINE, COMP_WORDS is used as is.
_swg_words() {
	_swg_w=() _swg_cw=0
	local line=${COMP_LINE-} pos=0 i word
	if [[ -z $line ]]; then
		_swg_w=("${COMP_WORDS[@]}")
		_swg_cw=$COMP_CWORD
		return
	fi
	for ((i = 0; i <= COMP_CWORD && i < ${#COMP_WORDS[@]}; i++)); do
		word=${COMP_WORDS[i]}
		local gap=0
		while [[ $pos -lt ${#line} && ${line:pos:1} == [[:space:]] ]]; do
			((pos++))
			gap=1
		done
		if [[ ${line:pos:${#word}} != "$word" ]]; then
			# Line and words disagree (e.g. a backslash-newline): trust readline.
			_swg_w=("${COMP_WORDS[@]}")
			_swg_cw=$COMP_CWORD
			return
		fi
		if ((i > 0 && gap == 0)); then
			_swg_w[${#_swg_w[@]} - 1]+=$word
		else
			_swg_w+=("$word")
		fi
		((pos += ${#word}))
	done
	_swg_cw=$((${#_swg_w[@]} - 1))
	((_swg_cw >= 0)) || { _swg_w=(""); _swg_cw=0; }
}

# _swg_reply CUR WORD...: add the WORDs that start with CUR to COMPREPLY. When CUR
# holds a word-break character, readline replaces only the text after the last one,
# so that much is cut from each reply.
_swg_reply() {
	local cur=$1 cut=0 i w
	shift
	for ((i = ${#cur} - 1; i >= 0; i--)); do
		if [[ $COMP_WORDBREAKS == *"${cur:i:1}"* ]]; then
			cut=$((i + 1))
			break
		fi
	done
	for w in "$@"; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("${w:cut}")
	done
}

# _swg_files CUR: file and directory names, quoted by readline.
_swg_files() {
	local a
	compopt -o filenames 2>/dev/null
	mapfile -t a < <(compgen -f -- "$1")
	_swg_reply "$1" "${a[@]}"
}

_swg_interfaces() {
	"$_swg_cmd" show interfaces 2>/dev/null
}

_swg() {
	local _swg_w _swg_cw _swg_cmd=${1:-swg}
	local cur sub i kw
	command -v "$_swg_cmd" >/dev/null 2>&1 || _swg_cmd=swg
	_swg_words
	cur=${_swg_w[_swg_cw]}
	sub=${_swg_w[1]-}

	if ((_swg_cw == 1)); then
		if [[ $cur == -* ]]; then
			_swg_reply "$cur" --help --version
		else
			_swg_reply "$cur" show showconf set setconf addconf syncconf genkey genpsk pubkey help version
		fi
		return
	fi

	case $sub in
	show)
		# `show [IFACE | all | interfaces] [FIELD]`, or swg's
		# `show [IFACE | all] --json [--show-keys]` (the options may go anywhere).
		local -a pos=()
		local json=0 keys=0
		for ((i = 2; i < _swg_cw; i++)); do
			case ${_swg_w[i]} in
			--json) json=1 ;;
			--show-keys) keys=1 ;;
			*) pos+=("${_swg_w[i]}") ;;
			esac
		done
		local -a flags=()
		((json)) || flags+=(--json)
		((keys)) || flags+=(--show-keys)
		if ((json)); then
			if ((${#pos[@]} == 0)) && [[ $cur != -* ]]; then
				# shellcheck disable=SC2046
				_swg_reply "$cur" $(_swg_interfaces) all
			elif ((${#pos[@]} <= 1)); then
				_swg_reply "$cur" "${flags[@]}"
			fi
		elif ((${#pos[@]} == 0)); then
			if [[ $cur == -* ]]; then
				_swg_reply "$cur" --json
			else
				# shellcheck disable=SC2046
				_swg_reply "$cur" $(_swg_interfaces) all interfaces
			fi
		elif ((${#pos[@]} == 1)) && [[ ${pos[0]} != interfaces ]]; then
			_swg_reply "$cur" public-key private-key listen-port fwmark peers preshared-keys \
				endpoints allowed-ips latest-handshakes persistent-keepalive transfer dump --json
		fi
		;;
	showconf)
		# shellcheck disable=SC2046
		((_swg_cw == 2)) && _swg_reply "$cur" $(_swg_interfaces)
		;;
	setconf | addconf | syncconf)
		if ((_swg_cw == 2)); then
			# shellcheck disable=SC2046
			_swg_reply "$cur" $(_swg_interfaces)
		elif ((_swg_cw == 3)); then
			_swg_files "$cur"
		fi
		;;
	set)
		if ((_swg_cw == 2)); then
			# shellcheck disable=SC2046
			_swg_reply "$cur" $(_swg_interfaces)
			return
		fi
		# Walk the words before the cursor the way `set` parses them: device keywords
		# until the first `peer`, then peer keywords; each keyword but `remove` and
		# `update-only` takes one value.
		local in_peer=0 removed=0 pending= used=" "
		for ((i = 3; i < _swg_cw; i++)); do
			kw=${_swg_w[i]}
			if [[ -n $pending ]]; then
				pending=
				continue
			fi
			case $kw in
			peer)
				in_peer=1 removed=0 used=" " pending=peer
				;;
			listen-port | fwmark | private-key)
				((in_peer)) && return
				used+="$kw " pending=$kw
				;;
			preshared-key | endpoint | persistent-keepalive | allowed-ips)
				((in_peer && !removed)) || return
				used+="$kw " pending=$kw
				;;
			remove)
				((in_peer && !removed)) || return
				removed=1
				;;
			update-only)
				((in_peer && !removed)) || return
				used+="$kw "
				;;
			*) return ;;
			esac
		done
		case $pending in
		peer)
			# shellcheck disable=SC2046
			_swg_reply "$cur" $("$_swg_cmd" show "${_swg_w[2]}" peers 2>/dev/null)
			return
			;;
		private-key | preshared-key)
			_swg_files "$cur"
			return
			;;
		?*) return ;;
		esac
		local -a offer=()
		if ((!in_peer)); then
			for kw in listen-port fwmark private-key; do
				[[ $used == *" $kw "* ]] || offer+=("$kw")
			done
		elif ((!removed)); then
			for kw in preshared-key endpoint allowed-ips persistent-keepalive update-only; do
				[[ $used == *" $kw "* ]] || offer+=("$kw")
			done
			offer+=(remove)
		fi
		offer+=(peer)
		_swg_reply "$cur" "${offer[@]}"
		;;
	esac
}

complete -o nosort -F _swg swg

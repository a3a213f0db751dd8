#!/usr/bin/env bash
# Shell completions for swg and swg-quick, driven in the real shells against live
# interfaces (two wireguard-go devices in network namespaces, one with three peers):
#   bash: the function called with COMP_WORDS/COMP_CWORD/COMP_LINE set as readline sets
#         them, and again through an interactive bash in a pseudo-terminal (TAB pressed);
#   zsh:  an interactive zsh with compinit in a zpty, TAB pressed, matches captured;
#   fish: complete -C.
# Every case runs in all three shells. Keyword lists are read from the installed wg's
# usage texts. Ends with make install-data/uninstall and checks each shell finds the
# installed files.
set -u
source "$(dirname "$0")/../../lib.sh"
SUITE=completions
COMP=${COMP:-$ROOT/completions}
umask 077

need() { command -v "$1" >/dev/null || { fail "tool $1" "not installed"; summary; exit 1; }; }
for t in bash zsh fish wg wireguard-go ip; do need "$t"; done
[[ $(id -u) == 0 ]] || { fail "root" "needs root for network namespaces"; summary; exit 1; }
[[ -x $SWG ]] || { fail "swg binary" "$SWG not built"; summary; exit 1; }
[[ -x $SWG_QUICK ]] || { fail "swg-quick binary" "$SWG_QUICK not built"; summary; exit 1; }

TMP=$(mktemp -d)
IFA=cp$$a IFB=cp$$b CQ=cq$$
made_etc=0
cleanup() {
  cleanup_wggo
  rm -f "/etc/wireguard/${CQ}x.conf" "/etc/wireguard/${CQ}y.conf"
  ((made_etc)) && rmdir /etc/wireguard 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

# --- live state ------------------------------------------------------------------------
start_wggo "$IFA" && start_wggo "$IFB" || { fail "start wireguard-go" ""; summary; exit 1; }
wg genkey >"$TMP/a.key"
KA=() KB=()
for i in 1 2 3; do KA+=("$(wg genkey | wg pubkey)"); done
KB+=("$(wg genkey | wg pubkey)")
wg set "$IFA" private-key "$TMP/a.key" listen-port 0 \
  peer "${KA[0]}" allowed-ips 10.1.0.1/32 peer "${KA[1]}" allowed-ips 10.1.0.2/32 \
  peer "${KA[2]}" endpoint 127.0.0.1:9 allowed-ips fd00::3/128
wg set "$IFB" peer "${KB[0]}" allowed-ips 10.2.0.1/32
expect_eq "setup: $IFA has 3 peers (read by swg)" 3 "$("$SWG" show "$IFA" peers | wc -l)"

# The shells find `swg` on PATH, as users have it.
mkdir -p "$TMP/bin" "$TMP/wd/sub"
ln -s "$SWG" "$TMP/bin/swg"
ln -s "$SWG_QUICK" "$TMP/bin/swg-quick"
export PATH=$TMP/bin:$PATH
: >"$TMP/wd/k1.key"
: >"$TMP/wd/peers.conf"
[[ -d /etc/wireguard ]] || { mkdir -m 0700 /etc/wireguard && made_etc=1; }
printf '# completion test\n' >"/etc/wireguard/${CQ}x.conf"
printf '# completion test\n' >"/etc/wireguard/${CQ}y.conf"
cd "$TMP/wd" || exit 1

# --- expectations from wg's own usage texts --------------------------------------------
SUBS="$(wg --help | sed -n 's/^  \([a-z]*\): .*/\1/p' | tr '\n' ' ')help version"
FIELDS="$(wg show --help 2>&1 | sed 's/.*} \[//; s/\]$//; s/|//g') --json"
# `wg set` usage: the keywords before `peer` are the device's, those after the peer's.
SETKW=$(wg set 2>&1 | grep -o '\[[a-z-]*' | tr -d '[' | tr '\n' ' ')
DEVKW=${SETKW%%peer *}
PEERKW="${SETKW#*peer } update-only"
PEERKW=${PEERKW/remove /}
[[ $DEVKW == *listen-port* && $PEERKW == *endpoint* ]] && pass "keyword lists from wg set usage" ||
  fail "keyword lists from wg set usage" "dev: $DEVKW peer: $PEERKW"
without() { # without WORD LIST...: LIST minus WORD
  local w=$1 out=() x
  shift
  for x in $*; do [[ $x == "$w" ]] || out+=("$x"); done
  echo "${out[*]}"
}
FILES="k1.key peers.conf sub"

# Cases: MODE|COMMAND LINE|WORDS. MODE "=" the candidates are exactly WORDS (as a set),
# "~" they include all WORDS, "!" they include none of WORDS.
CASES=(
  "=|swg |$SUBS"
  "=|swg s|show showconf set setconf syncconf"
  "=|swg -|--help --version"
  "=|swg show cp$$|$IFA $IFB"
  "~|swg show |all interfaces $IFA $IFB"
  "!|swg show |--json listen-port peer"
  "=|swg show -|--json"
  "=|swg show $IFA |$FIELDS"
  "=|swg show all |$FIELDS"
  "=|swg show interfaces |"
  "=|swg show $IFA dump |"
  "=|swg show $IFA --json |--show-keys"
  "=|swg show --json cp$$|$IFA $IFB"
  "!|swg show --json |interfaces --json"
  "=|swg showconf cp$$|$IFA $IFB"
  "=|swg showconf $IFA |"
  "=|swg setconf cp$$|$IFA $IFB"
  "=|swg setconf $IFA |$FILES"
  "=|swg syncconf $IFA pe|peers.conf"
  "=|swg addconf $IFA |$FILES"
  "=|swg genkey |"
  "=|swg pubkey |"
  "=|swg set cp$$|$IFA $IFB"
  "=|swg set $IFA |$DEVKW peer"
  "=|swg set $IFA listen-port 51820 |$(without listen-port $DEVKW) peer"
  "=|swg set $IFA listen-port |"
  "=|swg set $IFA private-key |$FILES"
  "=|swg set $IFA fwmark 0x10 private-key k1.key |listen-port peer"
  "=|swg set $IFA peer |${KA[*]}"
  "=|swg set $IFA peer ${KA[1]:0:12}|${KA[1]}"
  "=|swg set $IFB peer |${KB[*]}"
  "=|swg set $IFA peer ${KA[0]} |$PEERKW remove peer"
  "!|swg set $IFA peer ${KA[0]} |$DEVKW"
  "!|swg set $IFA listen-port 1 peer ${KA[0]} |listen-port fwmark private-key"
  "=|swg set $IFA listen-port 1 peer ${KA[0]} endpoint 127.0.0.1:51820 |$(without endpoint $PEERKW) remove peer"
  "=|swg set $IFA peer ${KA[0]} endpoint [::1]:51820 |$(without endpoint $PEERKW) remove peer"
  "=|swg set $IFA peer ${KA[0]} allowed-ips 10.0.0.0/8,fd00::/64 |$(without allowed-ips $PEERKW) remove peer"
  "=|swg set $IFA peer ${KA[0]} remove |peer"
  "=|swg set $IFA peer ${KA[0]} remove peer |${KA[*]}"
  "=|swg set $IFA peer ${KA[0]} endpoint 127.0.0.1:1 peer ${KA[1]} |$PEERKW remove peer"
  "=|swg set $IFA peer ${KA[0]} update-only |$(without update-only $PEERKW) remove peer"
  "=|swg set $IFA peer ${KA[0]} preshared-key |$FILES"
  "=|swg set $IFA peer ${KA[0]} persistent-keepalive |"
  "=|swg set $IFA peer ${KA[0]} listen-port |"
  "=|swg set $IFA peer ${KA[0]} r|remove"
  "=|swg set $IFA bogus 1 |"
  "=|swg-quick |up down save strip"
  "=|swg-quick -|--help"
  "=|swg-quick up $CQ|${CQ}x ${CQ}y"
  "=|swg-quick strip $CQ|${CQ}x ${CQ}y"
  "=|swg-quick save $CQ|${CQ}x ${CQ}y"
  "=|swg-quick down $CQ|"
  "=|swg-quick down cp$$|$IFA $IFB"
  "~|swg-quick up |${CQ}x ${CQ}y peers.conf sub"
  "!|swg-quick up |k1.key"
  "=|swg-quick up ./|peers.conf sub"
  "=|swg-quick down ./|peers.conf sub"
  "=|swg-quick up ${CQ}x |"
)

# check SHELL CASE CANDIDATES...: candidates normalised ("./" and a trailing "/" cut).
check() {
  local sh=$1 mode=${2%%|*} rest=${2#*|} line want got x missing=() extra=()
  line=${rest%|*}
  want=${rest##*|}
  shift 2
  local -A have=()
  for x in "$@"; do
    x=${x#./}
    x=${x%/}
    [[ -n $x ]] && have[$x]=1
  done
  case $mode in
  =)
    for x in $want; do [[ -n ${have[$x]-} ]] && have[$x]=2 || missing+=("$x"); done
    for x in "${!have[@]}"; do [[ ${have[$x]} == 2 ]] || extra+=("$x"); done
    ;;
  \~) for x in $want; do [[ -n ${have[$x]-} ]] || missing+=("$x"); done ;;
  !) for x in $want; do [[ -n ${have[$x]-} ]] && extra+=("$x"); done ;;
  esac
  if ((${#missing[@]} + ${#extra[@]} == 0)); then
    pass "$sh $mode '$line'"
  else
    fail "$sh $mode '$line'" "missing: ${missing[*]:-none}; unexpected: ${extra[*]:-none}"
  fi
}

# --- bash, called directly ---------------------------------------------------------------
# readline's word splitting: blanks separate words, and each run of COMP_WORDBREAKS
# characters (=, :, ...) is a word of its own.
rl_words() {
  local line=$1 i c word="" brk=0 breaks=$'"\'@><=;|&(:'
  COMP_WORDS=()
  for ((i = 0; i < ${#line}; i++)); do
    c=${line:i:1}
    if [[ $c == [[:space:]] ]]; then
      [[ -n $word ]] && COMP_WORDS+=("$word")
      word="" brk=0
    elif [[ $breaks == *"$c"* ]]; then
      if [[ -n $word && $brk == 0 ]]; then COMP_WORDS+=("$word"); word=""; fi
      word+=$c brk=1
    else
      if [[ -n $word && $brk == 1 ]]; then COMP_WORDS+=("$word"); word=""; fi
      word+=$c brk=0
    fi
  done
  COMP_WORDS+=("$word")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE=$line
  COMP_POINT=${#line}
}
bash_direct() { # prints the candidates for LINE, one per line
  bash -c '
    source "$1/swg.bash"; source "$1/swg-quick.bash"
    eval "$2"
    rl_words "$3"
    COMPREPLY=()
    case ${COMP_WORDS[0]} in
    swg) _swg swg "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" ;;
    swg-quick) _swg_quick swg-quick "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" ;;
    esac
    printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$(declare -f rl_words)" "$1"
}
for c in "${CASES[@]}"; do
  line=${c#*|}
  line=${line%|*}
  mapfile -t got < <(bash_direct "$line")
  check bash "$c" "${got[@]}"
done

# Plain COMP_WORDS/COMP_CWORD, no COMP_LINE (as a caller that only sets those).
got=$(bash -c 'source "$1/swg.bash"; COMP_WORDS=(swg set "$2" peer "$3" ""); COMP_CWORD=5; _swg swg; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$IFA" "${KA[0]}" | sort | tr '\n' ' ')
expect_eq "bash COMP_WORDS only: peer keywords" "$(printf '%s\n' $PEERKW remove peer | sort | tr '\n' ' ')" "$got"
got=$(bash -c 'source "$1/swg.bash"; COMP_WORDS=(swg set "$2" ""); COMP_CWORD=3; _swg swg; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$IFA" | sort | tr '\n' ' ')
expect_eq "bash COMP_WORDS only: device keywords" "$(printf '%s\n' $DEVKW peer | sort | tr '\n' ' ')" "$got"

# --- a driver for interactive shells in a pseudo-terminal (zsh's zpty) ------------------
# drive.zsh MODE COMPLETIONS_DIR: MODE is zsh or bash. Reads one command line per input
# line, types it plus TAB into the interactive shell, and prints what the completion
# offered (zsh: every match compadd accepted; bash: COMPREPLY, after a line "#W" + the
# words readline made), then "@@".
cat >"$TMP/drive.zsh" <<'EOF'
zmodload zsh/zpty || exit 2
mode=$1 dir=$2 out=$(mktemp)
if [[ $mode == zsh ]]; then
  zpty Z zsh -f -i || exit 2
  zpty -w Z "PS1= PS2= RPS1=; unsetopt autolist automenu listbeep beep; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
  zpty -w Z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a __h; builtin compadd -O __h \"\$@\"; (( \$#__h )) && print -rl -- \$__h >> ${(q)out}; builtin compadd \"\$@\"; }"
  zpty -w Z "_t_done() { print -r -- @@ >> ${(q)out}; BUFFER=; }; zle -N _t_done; bindkey '^I' complete-word; bindkey '^B' _t_done"
else
  zpty Z bash --norc --noprofile -i || exit 2
  zpty -w Z "PS1= PS2=; bind 'set bell-style none'; source ${(q)dir}/swg.bash; source ${(q)dir}/swg-quick.bash"
  zpty -w Z "for f in _swg _swg_quick; do eval \"\$(declare -f \$f | sed \"1s/^\$f /__t\$f /\")\"; eval \"\$f() { __t\$f \\\"\\\$@\\\"; { echo \\\"#W \\\${COMP_WORDS[*]}\\\"; printf '%s\\\\n' \\\"\\\${COMPREPLY[@]}\\\"; } >> ${(q)out}; }\"; done"
  zpty -w Z "_t_done() { echo @@ >> ${(q)out}; READLINE_LINE=; READLINE_POINT=0; }; bind -x '\"\\C-b\": _t_done'"
fi
zpty -w Z "echo @@ >> ${(q)out}"
wait_marker() {
  local i
  for i in {1..200}; do
    [[ -s $out && $(tail -n 1 $out) == @@ ]] && return 0
    zpty -r -t Z junk 2>/dev/null
    sleep 0.05
  done
  return 1
}
wait_marker || { echo "$mode did not start" >&2; exit 2; }
: >$out
while IFS= read -r line; do
  zpty -w -n Z "$line"$'\t'
  zpty -w -n Z $'\C-b'
  if ! wait_marker; then echo "timeout on: $line" >&2; print -r -- @@; : >$out; continue; fi
  sed '$d' $out
  print -r -- @@
  : >$out
done
zpty -d Z
rm -f $out
EOF

# run_driver MODE: runs every case through the driver and checks the answers.
run_driver() {
  local mode=$1 c line i=0
  local -a lines=() block=()
  for c in "${CASES[@]}"; do
    line=${c#*|}
    lines+=("${line%|*}")
  done
  mapfile -t out < <(printf '%s\n' "${lines[@]}" | timeout 300 zsh -f "$TMP/drive.zsh" "$mode" "$COMP")
  local n=0
  for line in "${out[@]}"; do [[ $line == @@ ]] && ((n++)); done
  expect_eq "$mode driver answered every case" "${#CASES[@]}" "$n"
  block=()
  WORDS_SEEN=()
  for line in "${out[@]}"; do
    if [[ $line == @@ ]]; then
      ((i < ${#CASES[@]})) && check "$mode-tty" "${CASES[i]}" "${block[@]}"
      block=()
      ((i++))
    elif [[ $line == "#W "* ]]; then
      WORDS_SEEN[i]=${line#\#W }
    else
      block+=("$line")
    fi
  done
}
run_driver zsh
run_driver bash

# The splitting the direct bash calls emulate is readline's own.
for i in "${!CASES[@]}"; do
  line=${CASES[i]#*|}
  line=${line%|*}
  [[ $line == *[=:]* ]] || continue
  [[ -n ${WORDS_SEEN[i]-} ]] || continue
  want=$(bash -c 'eval "$1"; rl_words "$2"; echo "${COMP_WORDS[*]}"' _ "$(declare -f rl_words)" "$line")
  expect_eq "readline splits '$line' as emulated" "$want" "${WORDS_SEEN[i]}"
done

# --- fish ---------------------------------------------------------------------------------
for c in "${CASES[@]}"; do
  line=${c#*|}
  line=${line%|*}
  mapfile -t got < <(fish -N -c 'source $argv[1]/swg.fish; source $argv[1]/swg-quick.fish; complete -C $argv[2]' "$COMP" "$line" | cut -f1)
  check fish "$c" "${got[@]}"
done

# --- make install-data / uninstall: each shell finds the installed files ----------------
D=$TMP/root
(cd "$ROOT" && make -s install-data DESTDIR="$D" PREFIX=/usr/local) >"$TMP/make.out" 2>&1 ||
  fail "make install-data" "$(tail -n 3 "$TMP/make.out")"
S=$D/usr/local/share
for f in bash-completion/completions/swg bash-completion/completions/swg-quick \
  zsh/site-functions/_swg zsh/site-functions/_swg-quick \
  fish/vendor_completions.d/swg.fish fish/vendor_completions.d/swg-quick.fish; do
  [[ -f $S/$f ]] && pass "installed $f" || fail "installed $f" "missing"
done
got=$(XDG_DATA_DIRS=$S bash -c 'source /usr/share/bash-completion/bash_completion; __load_completion swg; __load_completion swg-quick; complete -p swg swg-quick' 2>&1)
expect_eq "bash-completion loads the installed scripts" \
  "complete -o nosort -F _swg swg
complete -o filenames -o nosort -F _swg_quick swg-quick" "$got"
got=$(zsh -fc 'fpath=($1 $fpath); autoload -Uz compinit; compinit -u -D; print -r -- $_comps[swg] $_comps[swg-quick]' _ "$S/zsh/site-functions")
expect_eq "zsh compinit picks up the installed functions" "_swg _swg-quick" "$got"
zsh -fc 'print -l $fpath' | grep -qx /usr/local/share/zsh/site-functions &&
  pass "zsh searches /usr/local/share/zsh/site-functions" || fail "zsh searches /usr/local/share/zsh/site-functions" ""
got=$(XDG_DATA_DIRS=$S fish -c "complete -C 'swg-quick '; complete -C 'swg set $IFA peer ${KA[0]} remove '" | cut -f1 | sort | tr '\n' ' ')
expect_eq "fish autoloads the installed completions" "down peer save strip up " "$got"
(cd "$ROOT" && make -s uninstall DESTDIR="$D" PREFIX=/usr/local) >/dev/null 2>&1
expect_eq "make uninstall leaves no files" "" "$(find "$D" -type f)"

summary

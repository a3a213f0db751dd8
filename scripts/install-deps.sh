#!/usr/bin/env bash
# Installs what building and testing swg needs on a fresh Debian machine.
# Idempotent: packages already present are skipped quickly.
set -euo pipefail

want_build=(libmnl-dev libsodium-dev pkg-config)
want_test=(wireguard-tools wireguard-go iproute2 nftables iptables procps kmod
           qemu-system-x86 linux-image-amd64 busybox-static hyperfine mandoc man-db zsh fish bash-completion)

mode=${1:-all}
case $mode in
  build) want=("${want_build[@]}") ;;
  *) want=("${want_build[@]}" "${want_test[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ $mode != build ]] && ! command -v vng >/dev/null 2>&1; then
  python3 -m pip install -q virtme-ng
fi

#!/usr/bin/env bash
# Prepares the kernel's WireGuard selftest (tools/testing/selftests/wireguard/netns.sh) for
# Tests/Integration/vm/suites/selftest.sh: installs Debian's linux-source-6.12 (the kernel
# tree as a tarball under /usr/src) and the tools netns.sh calls, then extracts that one
# script into a cache directory the VM can read. The script is not ours: it is never
# committed, only extracted at test time.
#   scripts/selftest-setup.sh            install + extract; prints the script's path
#   SWG_SELFTEST_DIR=/some/dir scripts/selftest-setup.sh
# Idempotent: a second run with everything in place takes well under a second.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${SWG_SELFTEST_DIR:-$root/.build-selftest}
series=6.12
tarball=/usr/src/linux-source-$series.tar.xz
member="tools/testing/selftests/wireguard/netns.sh"

# ping/ping6 (iputils-ping), iperf3, ncat, ss and ip (iproute2), iptables; bash and
# procps for the rest. xz-utils to unpack the tarball.
want=(linux-source-$series iputils-ping iperf3 ncat iproute2 iptables procps xz-utils)
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
[[ -f $tarball ]] || { echo "selftest-setup: $tarball missing after installing linux-source-$series" >&2; exit 1; }

mkdir -p "$dir"
# Re-extract when the tarball changed (a newer linux-source-6.12 upload).
stamp=$(stat -c '%s-%Y' "$tarball")
if [[ ! -s $dir/netns.sh || $(cat "$dir/netns.sh.stamp" 2>/dev/null) != "$stamp" ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  tar -xJf "$tarball" -C "$tmp" --wildcards "*/$member"
  found=$(find "$tmp" -path "*/$member" -type f | head -n 1)
  [[ -n $found ]] || { echo "selftest-setup: $member not in $tarball" >&2; exit 1; }
  install -m 0755 "$found" "$dir/netns.sh"
  echo "$stamp" >"$dir/netns.sh.stamp"
  dpkg-query -W -f='${Version}\n' "linux-source-$series" >"$dir/netns.sh.version"
fi
echo "$dir/netns.sh"

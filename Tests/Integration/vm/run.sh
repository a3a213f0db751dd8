#!/usr/bin/env bash
# Boots a Debian kernel that has the WireGuard module under qemu (virtme-ng, TCG) with the
# host's root filesystem, and runs the guest suites in one boot.
#   Tests/Integration/vm/run.sh               all suites in Tests/Integration/vm/suites/
#   Tests/Integration/vm/run.sh kernel quick  only suites/kernel.sh and suites/quick.sh
# One VM at a time on this machine: a lock serialises concurrent callers.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
kernel=${SWG_VM_KERNEL:-$(ls -1 /boot/vmlinuz-*-amd64 2>/dev/null | grep -v -- -rt- | sort -V | tail -n 1)}
[[ -n $kernel ]] || { echo "no Debian kernel in /boot (apt-get install linux-image-amd64)"; exit 1; }
command -v vng >/dev/null || { echo "vng missing (pip install virtme-ng)"; exit 1; }

suites=("$@")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
exec 9>/tmp/swg-vm.lock
flock 9
ROOT=$root SUITES="${suites[*]:-}" timeout "${SWG_VM_TIMEOUT:-2400}" \
  vng --run "$kernel" --disable-kvm --memory 2G --cpus 2 \
    --exec "ROOT=$root SUITES='${suites[*]:-}' SWG='${SWG:-}' SWG_QUICK='${SWG_QUICK:-}' $here/guest.sh" 2>&1 | tee "$log"
flock -u 9
echo "vm: $(( $(date +%s) - start )) s wall for boot and suites (kernel $(basename "$kernel"))"
line=$(grep -E '^vm-total: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
[[ -n $line ]] || { echo "vm: no summary from the guest"; exit 1; }
[[ $line == *" 0 failed" ]]

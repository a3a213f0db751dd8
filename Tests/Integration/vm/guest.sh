#!/usr/bin/env bash
# Runs inside the VM: loads the module, then each suite in its own process.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export ROOT=${ROOT:-$(cd "$here/../../.." && pwd)}
[[ -n ${SWG:-} ]] || unset SWG
[[ -n ${SWG_QUICK:-} ]] || unset SWG_QUICK
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
modprobe wireguard || { echo "vm-total: 0 passed, 1 failed"; exit 1; }
ip link set lo up
echo "guest kernel $(uname -r)"
total_p=0 total_f=0
list=()
if [[ -n ${SUITES:-} ]]; then for s in $SUITES; do list+=("$here/suites/$s.sh"); done
else list=("$here"/suites/*.sh); fi
for suite in "${list[@]}"; do
  [[ -f $suite ]] || { echo "FAIL missing suite $suite"; total_f=$((total_f + 1)); continue; }
  t0=$(date +%s)
  out=$(bash "$suite" 2>&1); rc=$?
  printf '%s\n' "$out"
  line=$(printf '%s\n' "$out" | grep -E ': [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
  p=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$line")
  f=$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line")
  [[ -n $line ]] || { p=0; f=1; echo "FAIL $(basename "$suite") printed no summary (rc $rc)"; }
  total_p=$((total_p + p)); total_f=$((total_f + f))
  echo "suite $(basename "$suite"): $(( $(date +%s) - t0 )) s"
done
echo "vm-total: $total_p passed, $total_f failed"

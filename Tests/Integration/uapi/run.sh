#!/usr/bin/env bash
# Runs the userspace (UAPI) suites: each starts wireguard-go in its own network namespace.
#   Tests/Integration/uapi/run.sh            all suites in Tests/Integration/uapi/suites/
#   Tests/Integration/uapi/run.sh cli keys   only those
set -u
here=$(cd "$(dirname "$0")" && pwd)
export ROOT=${ROOT:-$(cd "$here/../../.." && pwd)}
total_p=0 total_f=0
list=()
if (($#)); then for s in "$@"; do list+=("$here/suites/$s.sh"); done; else list=("$here"/suites/*.sh); fi
for suite in "${list[@]}"; do
  [[ -f $suite ]] || continue
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
echo "uapi-total: $total_p passed, $total_f failed"
((total_f == 0))

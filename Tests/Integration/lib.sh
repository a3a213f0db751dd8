# Shared helpers for swg's integration tests (sourced, bash).
# Each check prints one line, "ok NAME" or "FAIL NAME: why"; summary prints the
# plain "N passed, N failed" line CI reads.
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SWG=${SWG:-$ROOT/.build/debug/swg}
SWG_QUICK=${SWG_QUICK:-$ROOT/.build/debug/swg-quick}
PASSED=${PASSED:-0}
FAILED=${FAILED:-0}

pass() { PASSED=$((PASSED + 1)); echo "ok $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1: ${2:-}"; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
  if [[ "$2" == "$3" ]]; then pass "$1"; else
    fail "$1" "expected/actual differ"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -20 | sed 's/^/    /'
  fi
}

# expect_same_output NAME -- CMD_A... -- CMD_B...: stdout, stderr and exit code must match.
# Usage: expect_same NAME "wg show wg0 dump" "$SWG show wg0 dump"
expect_same() {
  local name=$1 a=$2 b=$3 oa ob ea eb ra rb
  oa=$(bash -c "$a" 2>/tmp/.ea.$$); ra=$?; ea=$(cat /tmp/.ea.$$)
  ob=$(bash -c "$b" 2>/tmp/.eb.$$); rb=$?; eb=$(cat /tmp/.eb.$$)
  rm -f /tmp/.ea.$$ /tmp/.eb.$$
  # Program names differ in messages that print argv[0]; compare with it normalised.
  if [[ "$oa" == "$ob" && "$ea" == "${eb//swg/wg}" && $ra == $rb ]] || [[ "$oa" == "$ob" && "$ea" == "$eb" && $ra == $rb ]]; then
    pass "$name"
  else
    fail "$name" "rc $ra vs $rb"
    diff <(printf '%s\n' "$oa" "--stderr--" "$ea") <(printf '%s\n' "$ob" "--stderr--" "$eb") | head -20 | sed 's/^/    /'
  fi
}

# expect_rc NAME CODE CMD...
expect_rc() {
  local name=$1 code=$2; shift 2
  "$@" >/dev/null 2>&1; local rc=$?
  if [[ $rc == "$code" ]]; then pass "$name"; else fail "$name" "exit $rc, wanted $code"; fi
}

summary() { echo "${SUITE:-integration}: $PASSED passed, $FAILED failed"; }

# start_wggo IFNAME: runs wireguard-go in the foreground inside a fresh network namespace
# (loopback only, no default route) and waits for its UAPI socket. stop_wggo undoes it;
# call `trap cleanup_wggo EXIT` so it happens even when a check fails.
WGGO_PIDS=()
WGGO_NETNS=()
start_wggo() {
  local ifname=$1 ns="swgt-$1"
  ip netns add "$ns" || return 1
  ip -n "$ns" link set lo up
  ip netns exec "$ns" wireguard-go -f "$ifname" >/dev/null 2>&1 &
  WGGO_PIDS+=($!)
  WGGO_NETNS+=("$ns")
  local i
  for i in $(seq 1 100); do
    [[ -S /var/run/wireguard/$ifname.sock ]] && return 0
    sleep 0.05
  done
  echo "wireguard-go for $ifname did not start" >&2
  return 1
}
stop_wggo() {
  local ifname=$1 ns="swgt-$1"
  pkill -f "wireguard-go -f $ifname\$" 2>/dev/null
  sleep 0.1
  ip netns del "$ns" 2>/dev/null
  rm -f "/var/run/wireguard/$ifname.sock"
}
cleanup_wggo() {
  local p ns
  for p in "${WGGO_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${WGGO_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  for ns in "${WGGO_NETNS[@]}"; do ip netns del "$ns" 2>/dev/null; rm -f "/var/run/wireguard/${ns#swgt-}.sock"; done
}
# The current Unix time inside expected outputs is avoided: compare formats, not clocks.

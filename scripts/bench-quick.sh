#!/usr/bin/env bash
# swg-quick vs wg-quick: `up` and `down` with 1, 100 and 10,000 peers, each peer with its
# own /32 (so one route per peer).
#   scripts/bench-quick.sh             in the VM (kernel WireGuard module, no network)
#   scripts/bench-quick.sh netns       on this host, in a fresh network namespace (loopback
#                                      only), wireguard-go when there is no kernel module
# Environment:
#   SWG_QUICK=PATH                     binary to time (default: a release build, static stdlib)
#   SWG_BENCH_COUNTS="1 100 10000"     peer counts
#   SWG_BENCH_RUNS=3                   runs per (tool, count) below 1,000 peers (1 from 1,000)
#   SWG_BENCH_TOOLS="swg-quick wg-quick"
#   SWG_BENCH_WG_CAP=SECONDS           stop wg-quick's `up` after SECONDS (SIGKILL): the row then
#                                      shows ">SECONDS s" and how many routes it had added by
#                                      then, the up ratio is a lower bound (">= X"), and the
#                                      interface is taken down with `wg-quick down` (its time is
#                                      shown, marked as after a killed up). swg-quick is never capped.
# Times are wall milliseconds. Under qemu TCG both tools are far slower than on hardware.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
where=${1:-vm}

measure() {
  local work ms n f runs name tool up_total down_total routes r t0 t1 t2 t3 cap rc note swg_up
  work=$(mktemp -d /tmp/swgbench.XXXXXX)
  chmod 700 "$work"
  printf '%-10s %-7s %7s %10s %10s %5s\n' tool peers routes "up ms" "down ms" runs
  for n in ${SWG_BENCH_COUNTS:-1 100 10000}; do
    f=$work/wgb$n.conf
    # Address 192.168.77.1/24; peers get /32s in 10.128.0.0/9, none covered by the address route.
    python3 - "$n" "$(wg genkey)" > "$f" <<'PY'
import base64, os, sys
n, key = int(sys.argv[1]), sys.argv[2]
out = ["[Interface]", "PrivateKey = " + key, "ListenPort = 51820", "Address = 192.168.77.1/24", ""]
for i in range(n):
    a = 0x0a800000 + i + 1
    out += ["[Peer]", "PublicKey = " + base64.b64encode(os.urandom(32)).decode(),
            "AllowedIPs = %d.%d.%d.%d/32" % (a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255), ""]
print("\n".join(out))
PY
    chmod 600 "$f"
    runs=${SWG_BENCH_RUNS:-3}
    (( n >= 1000 )) && runs=1
    swg_up=""
    for name in ${SWG_BENCH_TOOLS:-swg-quick wg-quick}; do
      tool=$name
      [[ $name == swg-quick ]] && tool=$SWG_QUICK
      cap=0
      [[ $name == wg-quick ]] && cap=${SWG_BENCH_WG_CAP:-0}
      up_total=0 down_total=0 routes=0 note=""
      for ((r = 0; r < runs; r++)); do
        t0=$(date +%s%N)
        if (( cap > 0 )); then
          timeout --foreground -s KILL "$cap" "$tool" up "$f" >/dev/null 2>&1; rc=$?
          t1=$(date +%s%N)
          if (( rc == 137 )); then
            # Killed: let an `ip` child it had started finish, then count what is there.
            sleep 2
            routes=$(ip -4 route show dev "wgb$n" | wc -l)
            note="killed at ${cap} s after adding $routes of $((n + 1)) routes"
          elif (( rc != 0 )); then
            echo "up failed: $name $n"
          fi
        else
          "$tool" up "$f" >/dev/null 2>&1 || echo "up failed: $name $n"
          t1=$(date +%s%N)
        fi
        [[ -n $note ]] || routes=$(ip -4 route show dev "wgb$n" | wc -l)
        t2=$(date +%s%N); "$tool" down "$f" >/dev/null 2>&1 || { echo "down failed: $name $n"; ip link del "wgb$n" 2>/dev/null; }
        t3=$(date +%s%N)
        up_total=$((up_total + (t1 - t0) / 1000000)); down_total=$((down_total + (t3 - t2) / 1000000))
        [[ -n $note ]] && break
      done
      if [[ -n $note ]]; then
        printf '%-10s %-7s %7s %10s %10s %5s  %s\n' "$name" "$n" "$routes" ">$((cap * 1000))" "$down_total" 1 \
          "$note; down ran after the killed up"
        [[ -n $swg_up ]] && echo "up ratio at $n peers: >= $(awk -v a=$((cap * 1000)) -v b="$swg_up" 'BEGIN { printf "%.0f", a / b }')x (wg-quick > ${cap} s vs swg-quick $swg_up ms)"
      else
        printf '%-10s %-7s %7s %10s %10s %5s\n' "$name" "$n" "$routes" $((up_total / runs)) $((down_total / runs)) "$runs"
        [[ $name == swg-quick ]] && swg_up=$((up_total / runs))
      fi
    done
  done
  rm -rf "$work"
}

if [[ ${SWG_BENCH_IN_VM:-0} == 1 ]]; then
  export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
  modprobe wireguard || { echo "no wireguard module"; exit 1; }
  ip link set lo up
  echo "where: VM, kernel $(uname -r), WireGuard kernel module"
  measure
  exit
fi

[[ $(id -u) -eq 0 ]] || exec sudo -E -- "$0" "$@"
if [[ -z ${SWG_QUICK:-} ]]; then
  swift build -c release --static-swift-stdlib --scratch-path "$root/.build-release" --product swg-quick 2>&1 | tail -n 1
  SWG_QUICK=$root/.build-release/release/swg-quick
fi
export SWG_QUICK

case $where in
  netns)
    ns=swgbench-$$
    ip netns add "$ns"
    trap 'ip netns del "$ns" 2>/dev/null' EXIT
    ip -n "$ns" link set lo up
    echo "where: host netns, kernel $(uname -r), $([[ -e /sys/module/wireguard ]] && echo 'kernel module' || echo wireguard-go)"
    ip netns exec "$ns" bash -c "$(declare -f measure); measure"
    ;;
  vm)
    kernel=${SWG_VM_KERNEL:-$(ls -1 /boot/vmlinuz-*-amd64 2>/dev/null | grep -v -- -rt- | sort -V | tail -n 1)}
    exec 9>/tmp/swg-vm.lock
    flock 9
    vng --run "$kernel" --disable-kvm --memory 2G --cpus 2 \
      --exec "SWG_BENCH_IN_VM=1 SWG_QUICK=$SWG_QUICK SWG_BENCH_COUNTS='${SWG_BENCH_COUNTS:-1 100 10000}' SWG_BENCH_RUNS=${SWG_BENCH_RUNS:-3} SWG_BENCH_TOOLS='${SWG_BENCH_TOOLS:-swg-quick wg-quick}' SWG_BENCH_WG_CAP=${SWG_BENCH_WG_CAP:-0} $root/scripts/bench-quick.sh" 2>&1
    ;;
  *) echo "usage: $0 [vm|netns]"; exit 1 ;;
esac

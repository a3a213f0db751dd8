#!/usr/bin/env bash
# swg-quick vs wg-quick: `up` and `down` with 1, 100 and 10,000 peers, each peer with its
# own /32 (so one route per peer), in the VM (kernel WireGuard module, no network).
#   scripts/bench-quick.sh            builds release swg-quick, boots the VM, prints a table
#   SWG_BENCH_COUNTS="1 100" ...      other peer counts
#   SWG_BENCH_RUNS=3                  runs per (tool, count) below 10,000 peers (1 at 10,000)
#   SWG_BENCH_TOOLS="swg-quick"       only swg-quick (default "swg-quick wg-quick")
# Times are wall milliseconds measured inside the guest (qemu TCG: far slower than real
# hardware for both tools; the ratio is the figure to read).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [[ ${SWG_BENCH_IN_VM:-0} != 1 ]]; then
  [[ $(id -u) -eq 0 ]] || exec sudo -E -- "$0" "$@"
  if [[ -z ${SWG_QUICK:-} ]]; then
    swift build -c release --scratch-path "$root/.build-release" --product swg-quick 2>&1 | tail -n 1
    SWG_QUICK=$root/.build-release/release/swg-quick
  fi
  kernel=${SWG_VM_KERNEL:-$(ls -1 /boot/vmlinuz-*-amd64 2>/dev/null | grep -v -- -rt- | sort -V | tail -n 1)}
  exec 9>/tmp/swg-vm.lock
  flock 9
  vng --run "$kernel" --disable-kvm --memory 2G --cpus 2 \
    --exec "SWG_BENCH_IN_VM=1 SWG_QUICK=$SWG_QUICK SWG_BENCH_COUNTS='${SWG_BENCH_COUNTS:-1 100 10000}' SWG_BENCH_RUNS=${SWG_BENCH_RUNS:-3} SWG_BENCH_TOOLS='${SWG_BENCH_TOOLS:-swg-quick wg-quick}' $root/scripts/bench-quick.sh" 2>&1
  exit
fi

# --- inside the VM
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
modprobe wireguard || { echo "no wireguard module"; exit 1; }
ip link set lo up
work=$(mktemp -d /tmp/swgbench.XXXXXX)
chmod 700 "$work"
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# config N: Address 192.168.77.1/24, N peers with 10.128.0.0/9 /32s (none covered by the address route).
config() {
  local n=$1 f=$work/wgb$1.conf
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
  echo "$f"
}

printf '%-10s %-10s %8s %12s %12s %8s\n' tool peers routes "up ms" "down ms" runs
for n in ${SWG_BENCH_COUNTS}; do
  f=$(config "$n")
  runs=${SWG_BENCH_RUNS}
  (( n >= 10000 )) && runs=1
  for name in ${SWG_BENCH_TOOLS}; do
    tool=$name
    [[ $name == swg-quick ]] && tool=$SWG_QUICK
    up_total=0 down_total=0 routes=0
    for ((r = 0; r < runs; r++)); do
      t0=$(ms); "$tool" up "$f" >/dev/null 2>&1 || echo "up failed: $tool $n"
      t1=$(ms)
      routes=$(ip -4 route show dev "wgb$n" | wc -l)
      t2=$(ms); "$tool" down "$f" >/dev/null 2>&1 || echo "down failed: $tool $n"
      t3=$(ms)
      up_total=$((up_total + t1 - t0)); down_total=$((down_total + t3 - t2))
    done
    printf '%-10s %-10s %8s %12s %12s %8s\n' "$(basename "$tool")" "$n" "$routes" $((up_total / runs)) $((down_total / runs)) "$runs"
  done
done
rm -rf "$work"

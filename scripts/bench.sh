#!/usr/bin/env bash
# swg vs wg, side by side on the same device in the same run: bulk commands at 1,000,
# 10,000 and 50,000 peers (4 allowed IPs each) and process start-up. Prints user+sys CPU
# and peak RSS for both and their ratios (swg / wg; below 1 means swg is cheaper).
#
#   scripts/bench.sh            wireguard-go on the host, then the kernel module in the VM
#   scripts/bench.sh uapi       wireguard-go only
#   scripts/bench.sh kernel     VM only
#   SIZES="1000 10000" RUNS=5 scripts/bench.sh uapi
#
# Uses a release build: scripts/build-release.sh (static stdlib and libstdc++, .build-release)
# Needs root (network namespaces, wireguard-go), /usr/bin/time, hyperfine, python3.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"1000 10000 50000"}
RUNS=${RUNS:-3}
SWG=${SWG:-$root/.build-release/release/swg}
WG=${WG:-$(command -v wg)}
mode=${1:-all}

build() {
  [[ -n ${SKIP_BUILD:-} ]] && return
  "$root/scripts/build-release.sh" 2>&1 | tail -n 2
}

# config N FILE [VARIANT]: N peers with 4 allowed IPs each (peer i owns 10.x.y.z/32 x4,
# fd00::i/128 style), keys random but fixed per (N, i). VARIANT 1 changes every tenth peer
# (new key), drops PSKs and moves endpoints, for syncconf.
config() {
  python3 - "$1" "$2" "${3:-0}" <<'PY'
import base64, hashlib, sys
n, path, variant = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def key(*parts):
    return base64.b64encode(hashlib.sha256(("swg-bench/" + "/".join(map(str, parts))).encode()).digest()).decode()
out = ["[Interface]", "PrivateKey = " + key("priv", n), "ListenPort = 0", ""]
for i in range(n):
    k = key("peer", n, i, variant if i % 10 == 0 else 0)
    out.append("[Peer]")
    out.append("PublicKey = " + k)
    if variant == 0 and i % 2 == 0:
        out.append("PresharedKey = " + key("psk", n, i))
    a, b = (i >> 8) & 255, i & 255
    ips = ["10.%d.%d.%d/32" % (64 + (i >> 16), a, b), "10.%d.%d.%d/32" % (128 + (i >> 16), a, b),
           "fd00:%x::%x/128" % (i >> 16, i & 0xffff), "fd01:%x:%x::/64" % (i >> 16, i & 0xffff)]
    out.append("AllowedIPs = " + ", ".join(ips))
    if i % 3 == 0:
        port = 1024 + (i + variant) % 60000
        out.append("Endpoint = 127.0.0.1:%d" % port if i % 2 else "Endpoint = [::1]:%d" % port)
    if i % 4 == 0 and variant == 0:
        out.append("PersistentKeepalive = 25")
    out.append("")
open(path, "w").write("\n".join(out))
PY
}

# measure LABEL CMD...: RUNS runs, each under /usr/bin/time (its %M is the command's peak
# RSS) reaped with wait4 (user+sys to the microsecond, incl. time's own ~0.3 ms, the same
# for both tools); PREPARE, if set, runs untimed before each run.
# Prints the median CPU seconds and the median peak RSS in KB.
measure() {
  local label=$1; shift
  PREPARE=${PREPARE:-} RUNS=$RUNS python3 - "$label" "$@" <<'PY'
import os, statistics, subprocess, sys
label, argv = sys.argv[1], sys.argv[2:]
cpu, rss, failed = [], [], False
for _ in range(int(os.environ["RUNS"])):
    if os.environ.get("PREPARE"):
        subprocess.run(os.environ["PREPARE"], shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    devnull = os.open(os.devnull, os.O_WRONLY)
    out = os.environ.get("TMPDIR_BENCH", "/tmp") + "/rss.%d" % os.getpid()
    pid = os.fork()
    if pid == 0:
        os.dup2(devnull, 1)
        os.execv("/usr/bin/time", ["/usr/bin/time", "-f", "%M", "-o", out] + argv)
    _, status, ru = os.wait4(pid, 0)
    os.close(devnull)
    if status != 0:
        print("  %s: exit status %d" % (label, status), file=sys.stderr)
        failed = True
    cpu.append(ru.ru_utime + ru.ru_stime)
    rss.append(int(open(out).read().split()[-1]))
    os.unlink(out)
print("-1 -1" if failed else "%.4f %d" % (statistics.median(cpu), statistics.median(rss)))
PY
}

row() {  # row NAME "wg_cpu wg_rss" "swg_cpu swg_rss"
  python3 -c "
import sys
name = sys.argv[1]; wc, wr = sys.argv[2].split(); sc, sr = sys.argv[3].split()
wc, sc, wr, sr = float(wc), float(sc), int(wr), int(sr)
if min(wc, sc) < 0:
    print('| %-28s | %s |' % (name, 'FAILED (see errors above)')); sys.exit()
ratio = (sc / wc) if wc > 0 else float('nan')
print('| %-28s | %8.4f | %8.4f | %5.2fx | %8d | %8d | %5.2fx |' % (name, wc, sc, ratio, wr, sr, sr / wr))" "$@"
}

header() {
  echo "| command | wg CPU s | swg CPU s | CPU ratio | wg RSS KB | swg RSS KB | RSS ratio |"
  echo "|---|---|---|---|---|---|---|"
}

# bulk IFACE SETUP_PREFIX: the five bulk commands at every size on one device.
bulk() {
  local ifname=$1 n
  for n in $SIZES; do
    config "$n" "$tmp/c$n.conf" 0
    config "$n" "$tmp/s$n.conf" 1
    "$WG" setconf "$ifname" "$tmp/c$n.conf" || { echo "setup failed for $n peers"; return 1; }
    for cmd in "show $ifname dump" "show $ifname" "showconf $ifname"; do
      w=$(measure "wg $cmd" "$WG" $cmd); s=$(measure "swg $cmd" "$SWG" $cmd)
      row "$cmd ($n)" "$w" "$s"
    done
    w=$(measure "wg setconf" "$WG" setconf "$ifname" "$tmp/c$n.conf")
    s=$(measure "swg setconf" "$SWG" setconf "$ifname" "$tmp/c$n.conf")
    row "setconf ($n)" "$w" "$s"
    w=$(PREPARE="$WG setconf $ifname $tmp/c$n.conf" measure "wg syncconf" "$WG" syncconf "$ifname" "$tmp/s$n.conf")
    s=$(PREPARE="$WG setconf $ifname $tmp/c$n.conf" measure "swg syncconf" "$SWG" syncconf "$ifname" "$tmp/s$n.conf")
    row "syncconf ($n)" "$w" "$s"
    # Both tools must agree on what they produced.
    "$WG" setconf "$ifname" "$tmp/c$n.conf"; "$SWG" syncconf "$ifname" "$tmp/s$n.conf"; "$WG" showconf "$ifname" | sort >"$tmp/a"
    "$WG" setconf "$ifname" "$tmp/c$n.conf"; "$WG" syncconf "$ifname" "$tmp/s$n.conf"; "$WG" showconf "$ifname" | sort >"$tmp/b"
    cmp -s "$tmp/a" "$tmp/b" || echo "| note: syncconf results differ at $n peers (Debian wg keeps removed PSKs/keepalives; upstream and swg clear them) | | | | | | |"
  done
  "$WG" setconf "$ifname" /dev/null
}

# startup: wall-clock medians from hyperfine, plus CPU and RSS from /usr/bin/time.
startup() {
  local cmd
  for cmd in "show interfaces" "genkey"; do
    hyperfine -N --warmup 20 --runs "${STARTUP_RUNS:-300}" --export-json "$tmp/h.json" "$WG $cmd" "$SWG $cmd" >/dev/null 2>&1
    python3 - "$tmp/h.json" "$cmd" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
w, s = r[0], r[1]
print("| start-up: %-18s | %6.2f ms | %6.2f ms | %5.2fx wall (median); CPU %5.2f vs %5.2f ms |" % (
    sys.argv[2], w["median"] * 1e3, s["median"] * 1e3, s["median"] / w["median"],
    (w["user"] + w["system"]) * 1e3, (s["user"] + s["system"]) * 1e3))
PY
    w=$(RUNS=11 measure "wg $cmd" "$WG" $cmd); s=$(RUNS=11 measure "swg $cmd" "$SWG" $cmd)
    row "start-up RSS: $cmd" "$w" "$s" | sed 's/^/  /'
  done
}

tmp=$(mktemp -d)
cleanup() {
  [[ -n ${gopid:-} ]] && kill "$gopid" 2>/dev/null && wait "$gopid" 2>/dev/null
  ip netns del swgbench 2>/dev/null
  rm -f /var/run/wireguard/swgbench0.sock
  rm -rf "$tmp"
}
trap cleanup EXIT

uapi() {
  echo "## wireguard-go (host, $(wireguard-go --version | head -n 1)), swg $( "$SWG" --version ), $(date -u +%FT%TZ)"
  ip netns add swgbench && ip -n swgbench link set lo up
  ip netns exec swgbench wireguard-go -f swgbench0 >/dev/null 2>&1 &
  gopid=$!
  for i in $(seq 1 100); do [[ -S /var/run/wireguard/swgbench0.sock ]] && break; sleep 0.05; done
  header
  bulk swgbench0
  startup
  kill "$gopid"; wait "$gopid" 2>/dev/null; gopid=
  ip netns del swgbench
}

kernel_inside() {  # runs in the VM
  echo "## kernel $(uname -r) (VM, TCG), $(date -u +%FT%TZ)"
  ip link add swgbench0 type wireguard
  header
  bulk swgbench0
  startup
  ip link del swgbench0
}

kernel() {
  local k
  k=$(ls -1 /boot/vmlinuz-*-amd64 2>/dev/null | grep -v -- -rt- | sort -V | tail -n 1)
  exec 9>/tmp/swg-vm.lock
  flock 9
  vng --run "$k" --disable-kvm --memory 2G --cpus 2 \
    --exec "SKIP_BUILD=1 SIZES='$SIZES' RUNS=$RUNS STARTUP_RUNS=${STARTUP_RUNS:-100} SWG=$SWG $root/scripts/bench.sh inside-vm" 2>&1
  flock -u 9
}

case $mode in
  inside-vm)
    # The host's files reach the guest over 9p; run both binaries from guest memory so
    # page-ins of swg's 13 MB (wg: 100 KB) do not count against it.
    mkdir -p /tmp/swg-bench-bin && cp "$SWG" /tmp/swg-bench-bin/swg && cp "$WG" /tmp/swg-bench-bin/wg
    SWG=/tmp/swg-bench-bin/swg WG=/tmp/swg-bench-bin/wg
    modprobe wireguard; kernel_inside ;;
  uapi) build; uapi ;;
  kernel) build; kernel ;;
  all) build; uapi; echo; kernel ;;
  *) echo "usage: $0 [all|uapi|kernel]"; exit 1 ;;
esac

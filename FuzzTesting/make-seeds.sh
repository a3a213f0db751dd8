#!/usr/bin/env bash
# Regenerates the seed corpora in FuzzTesting/Corpus/ from valid inputs: replies of a
# real wireguard-go (in a throwaway network namespace) and configurations that the real
# wg(8) accepts. Needs root, wireguard-go and wg. The results are small and committed;
# rerun only when a format grows.
#   FuzzTesting/make-seeds.sh [uapi|config|quick|set|netlink]...
# `netlink` needs the wireguard kernel module (run it in the VM, with SEED_DIR set to a
# writable directory, and copy the files out): it dumps real kernel devices with
# capture-netlink-seeds.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=${SEED_DIR:-$here/Corpus}
which=("$@")
((${#which[@]})) || which=(uapi config quick set)
tmp=$(mktemp -d)
ns=swgseed-$$
cleanup() {
  [[ -n ${wggo_pid:-} ]] && kill "$wggo_pid" 2>/dev/null && wait "$wggo_pid" 2>/dev/null
  ip netns del "$ns" 2>/dev/null || true
  rm -f /var/run/wireguard/swgseed0.sock
  rm -rf "$tmp"
}
trap cleanup EXIT

# Keys are made here, never reused elsewhere.
k() { wg genkey; }
pub() { wg pubkey <<<"$1"; }
priv1=$(k); priv2=$(k); priv3=$(k); psk=$(wg genpsk)
p1=$(pub "$(k)"); p2=$(pub "$(k)"); p3=$(pub "$(k)")

# Valid wg(8) configurations, small and varied: every key, v4/v6/scoped endpoints,
# prefixes of every shape, comments, CRLF, odd spacing, empty peers.
configs() {
  cat >"$tmp/c1.conf" <<C
[Interface]
PrivateKey = $priv1
ListenPort = 51820
FwMark = 0x1234

[Peer]
PublicKey = $p1
PresharedKey = $psk
AllowedIPs = 10.0.0.1/32, 10.1.0.0/16, fd00::1/128
Endpoint = 127.0.0.1:51821
PersistentKeepalive = 25

[Peer]
PublicKey = $p2
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = [::1]:1
C
  cat >"$tmp/c2.conf" <<C
# comment line
[Interface]
ListenPort=0
FwMark=off
PrivateKey=$priv2 # trailing comment
[Peer]
PublicKey=$p3
PersistentKeepalive=off
Endpoint=[fe80::1%lo]:65535
C
  printf '[Interface]\r\nPrivateKey = %s\r\n\r\n[Peer]\r\nPublicKey = %s\r\nAllowedIPs = 192.168.0.0/24\r\n' "$priv3" "$p1" >"$tmp/c3.conf"
  printf '[Peer]\nPublicKey = %s\nAllowedIPs = 1.2.3.4/32\nAllowedIPs = ::ffff:1.2.3.4/128\n[Peer]\nPublicKey = %s\n' "$p2" "$p3" >"$tmp/c4.conf"
  printf '[Interface]\n\tPrivateKey\t=\t%s\n  ListenPort =  65535  \n[peer]\npublickey = %s\nallowedips = 10.0.0.0/8,10.0.0.0/8\nENDPOINT = 127.0.0.1:9\n' "$priv1" "$p1" >"$tmp/c5.conf"
}

write_seed() { # DIR NAME: stdin to Corpus/DIR/NAME
  mkdir -p "$corpus/$1"
  cat >"$corpus/$1/$2"
}

for w in "${which[@]}"; do
  case $w in
    netlink)
      configs
      ip netns add "$ns"
      big=$tmp/big.conf
      { printf '[Interface]\nPrivateKey = %s\n' "$priv1"
        for i in $(seq 1 12); do
          printf '[Peer]\nPublicKey = %s\nEndpoint = 127.0.0.%d:%d\n' "$(pub "$(k)")" "$i" "$((1000 + i))"
          for j in $(seq 1 $((i * 30))); do printf 'AllowedIPs = 10.%d.%d.0/24, fd%02x:%x::/64\n' "$i" "$((j % 256))" "$i" "$j"; done
        done; } >"$big"
      n=0
      for c in c1 c3 c4 big; do
        n=$((n + 1))
        ip -n "$ns" link add "swgseed$n" type wireguard
        f=$tmp/$c.conf
        ip netns exec "$ns" wg setconf "swgseed$n" "$f"
      done
      ip -n "$ns" link add swgseed0 type wireguard
      ip netns exec "$ns" python3 "$here/capture-netlink-seeds.py" swgseed0 swgseed1 swgseed2 swgseed3 swgseed4 |
        while read -r name b64; do base64 -d <<<"$b64" | write_seed FuzzNetlinkDump "kernel-$name"; done
      ;;
    uapi)
      # Real replies of wireguard-go to get=1 for the configurations above.
      configs
      ip netns add "$ns"
      ip -n "$ns" link set lo up
      ip netns exec "$ns" wireguard-go -f swgseed0 >/dev/null 2>&1 &
      wggo_pid=$!
      for _ in $(seq 100); do [[ -S /var/run/wireguard/swgseed0.sock ]] && break; sleep 0.05; done
      get() {
        python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"get=1\n\n")
out = b""
while not out.endswith(b"\n\n"):
    b = s.recv(65536)
    if not b: break
    out += b
sys.stdout.buffer.write(out)
PY
      }
      sock=/var/run/wireguard/swgseed0.sock
      get "$sock" | write_seed FuzzUAPIGet empty
      for c in c1 c2 c3 c4 c5; do
        ip netns exec "$ns" wg setconf swgseed0 "$tmp/$c.conf" 2>/dev/null || { echo "wg refused $c" >&2; continue; }
        get "$sock" | write_seed FuzzUAPIGet "wireguard-go-$c"
      done
      # The error shapes daemons send: wireguard-go's negative errno, boringtun's positive.
      printf 'errno=-22\n\n' | write_seed FuzzUAPIGet errno-negative
      printf 'errno=19\n\n' | write_seed FuzzUAPIGet errno-positive
      printf 'own_public_key=%064x\nlisten_port=1\nerrno=0\n\n' 7 | write_seed FuzzUAPIGet boringtun-style
      printf 'public_key=%064x\nendpoint=[fe80::1%%1]:5\nallowed_ip=::ffff:1.2.3.4/128\nallowed_ip=0.0.0.0/0\nerrno=0\n\n' 9 |
        write_seed FuzzUAPIGet scoped-endpoint
      ;;
    config)
      configs
      for c in c1 c2 c3 c4 c5; do write_seed FuzzConfig "$c" <"$tmp/$c.conf"; done
      # What showconf prints, and the incremental allowed-IP syntax of newer wg.
      printf '[Interface]\nListenPort = 1\nFwMark = 0xffffffff\nPrivateKey = %s\n\n[Peer]\nPublicKey = %s\nAllowedIPs = +10.0.0.0/8, -10.1.0.0/16\nAllowedIPs = 10.2.0.0/16\nPersistentKeepalive = 65535\n' "$priv1" "$p2" |
        write_seed FuzzConfig incremental
      ;;
    quick)
      configs
      for c in c1 c3; do write_seed FuzzQuickConfig "$c" <"$tmp/$c.conf"; done
      cat <<C | write_seed FuzzQuickConfig full
[Interface]
Address = 10.0.0.2/24, fd00::2/64
Address = 10.0.1.2/24
DNS = 10.0.0.1, fd00::1, example.lan
MTU = 1420
Table = off
PreUp = echo pre %i # kept
PostUp = iptables -A FORWARD -i %i -j ACCEPT; ip rule add fwmark 1 table 2
PreDown = true
PostDown = echo "down %i"
SaveConfig = true
PrivateKey = $priv2
ListenPort = 51820

[Peer]
PublicKey = $p1
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 127.0.0.1:51820
C
      printf '  [Interface]\t\r\nTable=auto\nSaveConfig=FALSE\nDNS=1.1.1.1 search.example\nmtu=1280\n[Peer]\nAddress=not-interface\n' | write_seed FuzzQuickConfig odd
      ;;
    set)
      # argv words separated by NUL bytes (as the fuzz target splits them).
      set_seed() { local name=$1; shift; printf '%s\0' "$@" | head -c -1 | write_seed FuzzSetWords "$name"; }
      set_seed device listen-port 51820 fwmark 0x10 private-key v
      set_seed peer peer "$p1" preshared-key v endpoint 127.0.0.1:1 persistent-keepalive 25 allowed-ips 10.0.0.0/8,fd00::/64
      set_seed peers listen-port 0 peer "$p1" remove peer "$p2" update-only allowed-ips '' peer "$p3" endpoint '[::1]:2' allowed-ips +10.0.0.1/32,-10.0.0.2/32
      set_seed offs fwmark off peer "$p1" persistent-keepalive off preshared-key /dev/null allowed-ips ' 1.2.3.4/32 , ::/0 '
      set_seed scoped peer "$p2" endpoint '[fe80::1%lo]:65535' allowed-ips ::ffff:1.2.3.4/128
      ;;
  esac
done
ls -l "$corpus"/*/ | head -n 40

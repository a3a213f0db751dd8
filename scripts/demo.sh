#!/usr/bin/env bash
# The README's demo: builds swg, joins two network namespaces with a veth pair, brings up
# a WireGuard tunnel between them with swg-quick (the kernel module when there is one,
# wireguard-go otherwise), pings across it, shows the live tunnel with `swg show`, and
# tears everything down again, also on failure or Ctrl-C.
# Every address is private and lives only inside the two namespaces: no packet can leave
# this machine (the namespaces have no default route and no link to the outside).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) -eq 0 ]] || exec sudo -E -- "$0" "$@"

bash scripts/install-deps.sh build >/dev/null
for tool in ip ping; do command -v $tool >/dev/null || { echo "demo: needs $tool (iproute2, iputils-ping)"; exit 1; }; done
if [[ ! -e /sys/module/wireguard ]] && ! modprobe wireguard 2>/dev/null && ! command -v wireguard-go >/dev/null; then
  echo "demo: no WireGuard kernel module and no wireguard-go; installing wireguard-go"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wireguard-go >/dev/null
fi

echo "== building swg and swg-quick"
# SWG_DEMO_BUILD overrides the build flags (e.g. "--scratch-path .build-x" for a debug build).
read -r -a flags <<<"${SWG_DEMO_BUILD:--c release}"
swift build "${flags[@]}" --product swg 2>&1 | tail -n 1
swift build "${flags[@]}" --product swg-quick 2>&1 | tail -n 1
bin=$(swift build "${flags[@]}" --show-bin-path)
SWG=$bin/swg
SWGQ=$bin/swg-quick

A=swgdemo-a B=swgdemo-b          # namespace names, also the WireGuard interface names
work=$(mktemp -d /tmp/swg-demo.XXXXXX)
chmod 700 "$work"
cleanup() {
  set +e
  echo "== tearing down"
  ip netns exec $A "$SWGQ" down "$work/$A.conf" 2>&1 | sed 's/^/   /'
  ip netns exec $B "$SWGQ" down "$work/$B.conf" 2>&1 | sed 's/^/   /'
  ip netns del $A 2>/dev/null
  ip netns del $B 2>/dev/null
  rm -rf "$work"
  echo "   namespaces, interfaces and keys removed"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== two namespaces joined by a veth pair (172.31.250.1 <-> 172.31.250.2)"
ip netns add $A
ip netns add $B
ip link add veth-$A netns $A type veth peer name veth-$B netns $B
ip -n $A addr add 172.31.250.1/30 dev veth-$A
ip -n $B addr add 172.31.250.2/30 dev veth-$B
for ns in $A $B; do ip -n $ns link set lo up; ip -n $ns link set veth-$ns up; done

echo "== keys (swg genkey | swg pubkey)"
umask 077
keyA=$("$SWG" genkey); pubA=$(printf '%s\n' "$keyA" | "$SWG" pubkey)
keyB=$("$SWG" genkey); pubB=$(printf '%s\n' "$keyB" | "$SWG" pubkey)
cat > "$work/$A.conf" <<CONF
[Interface]
Address = 10.200.0.1/24
ListenPort = 51820
PrivateKey = $keyA

[Peer]
PublicKey = $pubB
Endpoint = 172.31.250.2:51820
AllowedIPs = 10.200.0.2/32
CONF
cat > "$work/$B.conf" <<CONF
[Interface]
Address = 10.200.0.2/24
ListenPort = 51820
PrivateKey = $keyB

[Peer]
PublicKey = $pubA
Endpoint = 172.31.250.1:51820
AllowedIPs = 10.200.0.1/32
CONF

echo "== swg-quick up in both namespaces"
ip netns exec $A "$SWGQ" up "$work/$A.conf" 2>&1 | grep -v '^[│┌└]' | sed 's/^/   /'
ip netns exec $B "$SWGQ" up "$work/$B.conf" 2>&1 | grep -v '^[│┌└]' | sed 's/^/   /'

echo "== ping 10.200.0.2 through the tunnel"
ip netns exec $A ping -c 3 -W 2 10.200.0.2 | sed 's/^/   /'

echo "== swg show $A"
ip netns exec $A "$SWG" show $A | sed 's/^/   /'
ip netns exec $A "$SWG" show $A latest-handshakes | awk '$2 == 0 { print "demo: no handshake"; exit 1 }'
echo "== demo passed"

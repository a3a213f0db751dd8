#!/usr/bin/env bash
# swg-quick against wg-quick, in the VM (kernel WireGuard module, no network: qemu -net none).
# For each config: the system state after `wg-quick up` and after `swg-quick up` must be the
# same (links and MTU, addresses, routes in every table, rules, nft ruleset, src_valid_mark,
# wg showconf, DNS given to resolvconf, hook output), the trace lines must match, and `down`
# by either tool must return the system to exactly the state before. Then failures are
# injected at several steps and nothing may be left behind.
# Full-tunnel configs run only here, inside the VM.
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../lib.sh"
source "$here/../quick-lib.sh"
SUITE=quick
Q=$SWG_QUICK
[[ -x $Q ]] || { fail "swg-quick binary" "$Q missing"; summary; exit 1; }

work=$(mktemp -d /tmp/swgq.XXXXXX)
chmod 700 "$work"
mkdir -p "$work/bin" "$work/rc" "$work/conf"
trap 'rm -rf "$work"' EXIT
# A stub resolvconf: keeps what -a is given per interface, lists it with -l, drops it with -d.
cat > "$work/bin/resolvconf" <<STUB
#!/bin/bash
case "\$1" in
  -a) { echo "args: \$*"; cat; } > "$work/rc/\$2" ;;
  -d) rm -f "$work/rc/\$2" ;;
  -l) cat "$work/rc/\$2" 2>/dev/null | grep -v '^args:' ;;
  *) exit 1 ;;
esac
STUB
chmod +x "$work/bin/resolvconf"
export PATH="$work/bin:$PATH"
export HOOKLOG="$work/hooks.log"

k1=$(wg genkey); k2=$(wg genkey); p1=$(echo "$k1" | wg pubkey); p2=$(wg genkey | wg pubkey); p3=$(wg genkey | wg pubkey)

# snapshot IF: everything up/down may touch, with interface indexes taken out.
snapshot() {
  ip -o link show | sed -E 's/^[0-9]+: //; s/ +link\/.*//'
  ip -o addr show | sed -E 's/^[0-9]+: //; s/ +valid_lft.*//'
  ip -4 route show table all
  ip -6 route show table all
  ip -4 rule show
  ip -6 rule show
  nft list ruleset 2>/dev/null
  echo "src_valid_mark=$(cat /proc/sys/net/ipv4/conf/all/src_valid_mark)"
  wg showconf "$1" 2>/dev/null
  for f in "$work"/rc/*; do [[ -e $f ]] && { echo "resolvconf $(basename "$f"):"; cat "$f"; }; done
  [[ -e $HOOKLOG ]] && { echo "hooks:"; cat "$HOOKLOG"; }
  true
}

# Known differences of Debian's wg-quick 1.0.20210914 from upstream v1.0.20260223, which
# swg-quick follows: setconf→addconf, PreUp after `ip link add`, the default route after the
# two rules, src_valid_mark only written when not 1, `ip link add dev`, hooks keeping their
# `#` comments. Trace lines are compared as sorted sets with those normalised.
normtrace() {
  sed -E 's/^\[#\] wg setconf /[#] wg addconf /; s/^(s?wg-quick): /PROGRAM: /' \
    | sed -E 's/^\[#\] ip link add dev /[#] ip link add /; s/ # a comment that stays$//' \
    | grep -v '^\[#\] sysctl -q net.ipv4.conf.all.src_valid_mark=1$' | sort
}

# compare NAME IF CONF: the differential check for one config.
compare() {
  local name=$1 ifc=$2 conf=$3 before a b after ta tb
  echo 0 > /proc/sys/net/ipv4/conf/all/src_valid_mark
  rm -f "$HOOKLOG"
  before=$(snapshot "$ifc")
  wg-quick up "$conf" 2>"$work/ta"; local ra=$?
  a=$(snapshot "$ifc")
  wg-quick down "$conf" >/dev/null 2>&1
  echo 0 > /proc/sys/net/ipv4/conf/all/src_valid_mark
  rm -f "$HOOKLOG"
  expect_eq "$name: wg-quick down restores (sanity)" "$before" "$(snapshot "$ifc")"
  "$Q" up "$conf" 2>"$work/tb"; local rb=$?
  b=$(snapshot "$ifc")
  expect_eq "$name: up exit status" "$ra" "$rb"
  expect_eq "$name: state after up" "$a" "$b"
  expect_eq "$name: trace lines" "$(normtrace < "$work/ta")" "$(normtrace < "$work/tb")"
  "$Q" down "$conf" 2>"$work/tdb"; local rdb=$?
  expect_eq "$name: down exit status" 0 "$rdb"
  echo 0 > /proc/sys/net/ipv4/conf/all/src_valid_mark
  rm -f "$HOOKLOG"
  expect_eq "$name: state after swg-quick down" "$before" "$(snapshot "$ifc")"
  # Each tool takes down what the other put up.
  "$Q" up "$conf" >/dev/null 2>&1
  wg-quick down "$conf" >/dev/null 2>&1
  echo 0 > /proc/sys/net/ipv4/conf/all/src_valid_mark; rm -f "$HOOKLOG"
  expect_eq "$name: wg-quick down after swg-quick up" "$before" "$(snapshot "$ifc")"
  wg-quick up "$conf" >/dev/null 2>&1
  "$Q" down "$conf" >/dev/null 2>&1
  echo 0 > /proc/sys/net/ipv4/conf/all/src_valid_mark; rm -f "$HOOKLOG"
  expect_eq "$name: swg-quick down after wg-quick up" "$before" "$(snapshot "$ifc")"
}


peerA="PublicKey = $p2
AllowedIPs = 10.50.1.0/24, 10.50.2.7/32, fd50:1::/64
Endpoint = 127.0.0.1:51900"
peerB="PublicKey = $p3
AllowedIPs = 10.60.0.0/16, fd60::/48"

c=$(conf wgq0 "Address = 10.50.0.1/24, fd50::1/64
Address = 10.50.9.9" "$peerA" "$peerB")
compare "v4+v6 addresses, automatic MTU from endpoint" wgq0 "$c"

c=$(conf wgq1 "Address = 10.51.0.1/24
MTU = 1380" "PublicKey = $p2
AllowedIPs = 10.51.0.0/24, 10.52.0.0/16")
compare "explicit MTU, route covered by the address's route" wgq1 "$c"

c=$(conf wgq2 "Address = 10.53.0.1/24
Table = off" "$peerB")
compare "Table = off" wgq2 "$c"

c=$(conf wgq3 "Address = 10.54.0.1/24, fd54::1/64
Table = 1234" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0, ::/0, 10.99.0.0/16")
compare "Table = 1234 with /0" wgq3 "$c"

c=$(conf wgq4 "Address = 10.55.0.2/32" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0
Endpoint = 127.0.0.1:51900")
compare "full tunnel IPv4 (fwmark, rules, nft, src_valid_mark)" wgq4 "$c"

c=$(conf wgq5 "Address = 10.56.0.2/32, fd56::2/128" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0, ::/0, 10.56.0.0/24")
compare "full tunnel IPv4 and IPv6" wgq5 "$c"

c=$(conf wgq6 "Address = fd57::2/128
FwMark = 0x1234" "PublicKey = $p2
AllowedIPs = ::/0")
compare "full tunnel IPv6 only, FwMark given" wgq6 "$c"

c=$(conf wgq7 "Address = 10.58.0.1/24
PostUp = echo \"postup %i\" >> \$HOOKLOG # a comment that stays
PreDown = echo predown %i >> \$HOOKLOG
PostDown = echo postdown %i >> \$HOOKLOG" "$peerB")
compare "hooks with %i" wgq7 "$c"

c=$(conf wgq8 "Address = 10.59.0.1/24
DNS = 10.59.0.53, fd59::53, corp.example, lab.example" "$peerB")
compare "DNS through resolvconf" wgq8 "$c"

# SaveConfig: same changes under both tools, then down; the rewritten files must match.
save_check() {
  local tool=$1 out=$2 c
  c=$(conf wgq9 "Address = 10.61.0.1/24
MTU = 1400
DNS = 10.61.0.53
SaveConfig = true
PostUp = true" "$peerB")
  $tool up "$c" >/dev/null 2>&1
  ip addr add 10.61.5.5/16 dev wgq9
  wg set wgq9 peer "$p2" allowed-ips 10.62.0.0/24 persistent-keepalive 25
  $tool down "$c" >/dev/null 2>&1
  cp "$c" "$out"
  stat -c %a "$c" >> "$out.mode"
}
save_check wg-quick "$work/saved-a"
save_check "$Q" "$work/saved-b"
expect_eq "SaveConfig: file written on down" "$(cat "$work/saved-a")" "$(cat "$work/saved-b")"
expect_eq "SaveConfig: mode 0600" "600" "$(cat "$work/saved-b.mode")"
ls "$work/conf"/*.tmp >/dev/null 2>&1 && fail "SaveConfig: no temp file left" || pass "SaveConfig: no temp file left"

# save while up.
c=$(conf wgq10 "Address = 10.63.0.1/24" "$peerB")
"$Q" up "$c" >/dev/null 2>&1
wg set wgq10 listen-port 51999
cp "$c" "$work/orig"
wg-quick save "$c" >/dev/null 2>&1; cp "$c" "$work/save-a"; cp "$work/orig" "$c"
"$Q" save "$c" >/dev/null 2>&1; cp "$c" "$work/save-b"
expect_eq "save: same file as wg-quick save" "$(cat "$work/save-a")" "$(cat "$work/save-b")"
"$Q" down "$c" >/dev/null 2>&1

# strip, byte for byte.
expect_same "strip" "wg-quick strip $work/conf/wgq7.conf" "$Q strip $work/conf/wgq7.conf"
expect_same "down of a non-WireGuard interface" "wg-quick down lo" "$Q down lo"

# --- Failure injection: nothing may be left behind.
echo 0 > /proc/sys/net/ipv4/conf/all/src_valid_mark
rm -f "$HOOKLOG"
base=$(snapshot wgq11)
inject() {
  local name=$1 conf=$2 want=$3 out rc
  out=$("$Q" up "$conf" 2>&1); rc=$?
  [[ $rc != 0 ]] && pass "$name: up fails" || fail "$name: up fails" "exit 0"
  [[ $out == *"$want"* ]] && pass "$name: message" || fail "$name: message" "wanted '$want' in: $(tail -n 3 <<<"$out")"
  rm -f "$HOOKLOG"
  expect_eq "$name: nothing left" "$base" "$(snapshot wgq11)"
}
c=$(conf wgq11 "Address = 10.64.0.2/32, fd64::2/128
DNS = 10.64.0.53
PostUp = false" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0, ::/0, 10.65.0.0/16")
inject "failing PostUp after full tunnel and DNS" "$c" "[#] false"
ls "$work/rc" | grep -q wgq11 && fail "failing PostUp: DNS entry removed" || pass "failing PostUp: DNS entry removed"

c=$(conf wgq11 "Address = 10.66.0.1/24, 10.66.0.1/24" "$peerB")
inject "address that already exists" "$c" "adding address 10.66.0.1/24 to wgq11 failed: File exists"

c=$(conf wgq11 "Address = 10.67.0.1/24
DNS = 10.67.0.53" "$peerB")
out=$(PATH=${PATH#"$work/bin:"} "$Q" up "$c" 2>&1); rc=$?
[[ $rc != 0 && $out == *"needs \`resolvconf'"* ]] && pass "missing resolvconf: clear error" || fail "missing resolvconf: clear error" "$out"
expect_eq "missing resolvconf: nothing left" "$base" "$(snapshot wgq11)"

ip route add 10.68.0.0/16 dev lo table 4321
c=$(conf wgq11 "Address = 10.68.0.1/24
Table = 4321" "$peerB" "PublicKey = $p2
AllowedIPs = 10.68.0.0/16")
out=$("$Q" up "$c" 2>&1)
[[ $out == *"adding route 10.68.0.0/16 dev wgq11 table 4321 failed: File exists"* ]] && pass "existing route: message" || fail "existing route: message" "$out"
ip route del 10.68.0.0/16 dev lo table 4321
expect_eq "existing route: nothing left" "$base" "$(snapshot wgq11)"

c=$(conf wgq11 "Address = 10.69.0.1/24
PreUp = false" "$peerB")
inject "failing PreUp" "$c" "[#] false"

c=$(conf wgq11 "Address = 10.70.0.1/24" "PublicKey = not-a-key")
inject "bad WireGuard section" "$c" "wgq11"

echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6
echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6
c=$(conf wgq11 "Address = 10.71.0.1/24, fd71::1/64" "$peerB")
out=$("$Q" up "$c" 2>&1)
echo 0 > /proc/sys/net/ipv6/conf/all/disable_ipv6
echo 0 > /proc/sys/net/ipv6/conf/default/disable_ipv6
[[ $out == *"adding address fd71::1/64 to wgq11 failed: Permission denied"*"IPv6 is disabled"* ]] \
  && pass "IPv6 disabled: hint" || fail "IPv6 disabled: hint" "$out"
expect_eq "IPv6 disabled: nothing left" "$base" "$(snapshot wgq11)"

c=$(conf wgq11 "Address = 10.72.0.1/24" "$peerB")
"$Q" up "$c" >/dev/null 2>&1
out=$("$Q" up "$c" 2>&1); rc=$?
expect_eq "up twice: message" "swg-quick: \`wgq11' already exists" "$out"
"$Q" down "$c" >/dev/null 2>&1
expect_eq "up twice: down cleans" "$base" "$(snapshot wgq11)"

summary

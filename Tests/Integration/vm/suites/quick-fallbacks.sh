#!/usr/bin/env bash
# swg-quick's fallbacks and interruption, in the VM (kernel WireGuard module, qemu -net none):
# 1. iptables-restore where `nft` is missing: full tunnel up with nft hidden from PATH; the
#    iptables rules (iptables-save/ip6tables-save) and the rest of the state after swg-quick
#    up must equal those after wg-quick up (which falls back the same way), and down by
#    either tool must leave the state as before.
# 2. resolvectl where resolvconf is missing but systemd-resolved runs (faked: its socket path
#    and a resolvectl that logs its arguments): DNS servers and domains on up, revert on down,
#    a failing resolvectl rolls everything back with one error line; neither resolvconf nor
#    resolved: an error naming what is missing, nothing left.
# 3. SIGINT/SIGTERM in the middle of `up` (in PreUp, and in PostUp after full-tunnel rules,
#    firewall and DNS are in place): everything undone, exit 128+signal.
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../lib.sh"
source "$here/../quick-lib.sh"
SUITE=quick-fallbacks
Q=$SWG_QUICK
[[ -x $Q ]] || { fail "swg-quick binary" "$Q missing"; summary; exit 1; }
NFT=$(command -v nft)
[[ -n $NFT ]] || { fail "nft present in the guest" "nft missing"; summary; exit 1; }
if command -v resolvconf >/dev/null; then
  fail "no resolvconf on the guest's PATH" "$(command -v resolvconf)"; summary; exit 1
fi

work=$(mktemp -d /tmp/swgqf.XXXXXX)
chmod 700 "$work"
mkdir -p "$work/conf" "$work/rc" "$work/rcbin" "$work/ctlbin" "$work/nonft"
RESOLVED_SOCKET=/run/systemd/resolve/io.systemd.Resolve
made_socket=0
# iptables-nft creates the raw and mangle tables on first use and leaves them (empty) after
# the rules are deleted: remove the ones that were not there at the start.
tables_before=$("$NFT" list tables 2>/dev/null)
cleanup() {
  for t in "ip raw" "ip mangle" "ip6 raw" "ip6 mangle"; do
    grep -qx "table $t" <<<"$tables_before" || "$NFT" delete table $t 2>/dev/null
  done
  [[ $made_socket == 1 ]] && rm -f "$RESOLVED_SOCKET"
  rm -rf "$work"
}
trap cleanup EXIT

# PATH without nft: every other program of the usual directories, linked.
for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
  for f in "$d"/*; do
    b=${f##*/}
    [[ $b == nft || -e $work/nonft/$b ]] && continue
    [[ -f $f && -x $f ]] && ln -s "$f" "$work/nonft/$b"
  done
done
NONFT=$work/nonft

# A stub resolvconf (for the interruption checks): keeps what -a is given, drops it on -d.
cat > "$work/rcbin/resolvconf" <<STUB
#!/bin/bash
case "\$1" in
  -a) { echo "args: \$*"; cat; } > "$work/rc/\$2" ;;
  -d) rm -f "$work/rc/\$2" ;;
  *) exit 1 ;;
esac
STUB
# A stub resolvectl: logs its arguments; fails the subcommand named by RESOLVECTL_FAIL.
cat > "$work/ctlbin/resolvectl" <<STUB
#!/bin/bash
echo "\$*" >> "$work/resolvectl.log"
if [[ -n \${RESOLVECTL_FAIL:-} && \$1 == "\$RESOLVECTL_FAIL" ]]; then
  echo "Failed to set \$1 configuration: stub failure" >&2
  exit 1
fi
exit 0
STUB
chmod +x "$work/rcbin/resolvconf" "$work/ctlbin/resolvectl"
BASEPATH=$PATH

k1=$(wg genkey); p2=$(wg genkey | wg pubkey); p3=$(wg genkey | wg pubkey)

# iptables-save/ip6tables-save without the comment lines (timestamps) and chain counters.
iptsave() {
  local t
  for t in iptables ip6tables; do
    echo "$t:"
    "$t-save" 2>/dev/null | grep -v '^#' | sed -E 's/ \[[0-9]+:[0-9]+\]$//'
  done
}

# snapshot IF: everything up/down may touch, interface indexes and counters taken out.
snapshot() {
  ip -o link show | sed -E 's/^[0-9]+: //; s/ +link\/.*//'
  ip -o addr show | sed -E 's/^[0-9]+: //; s/ +valid_lft.*//'
  ip -4 route show table all
  ip -6 route show table all
  ip -4 rule show
  ip -6 rule show
  "$NFT" list ruleset 2>/dev/null | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'
  iptsave
  echo "src_valid_mark=$(cat /proc/sys/net/ipv4/conf/all/src_valid_mark)"
  wg showconf "$1" 2>/dev/null
  for f in "$work"/rc/*; do [[ -e $f ]] && { echo "resolvconf $(basename "$f"):"; cat "$f"; }; done
  true
}

reset_sysctl() { echo 0 > /proc/sys/net/ipv4/conf/all/src_valid_mark; }

# The trace lines as sorted sets, with the known differences of Debian's wg-quick
# 1.0.20210914 from upstream (see quick.sh) normalised.
normtrace() {
  sed -E 's/^\[#\] wg setconf /[#] wg addconf /; s/^(s?wg-quick): /PROGRAM: /; s/^\[#\] ip link add dev /[#] ip link add /' \
    | grep -v '^\[#\] sysctl -q net.ipv4.conf.all.src_valid_mark=1$' | sort
}


marked() { grep -c -- "-m comment --comment \"wg-quick(8) rule for $1\"" || true; }

# --- 1. iptables-restore fallback (nft hidden from PATH) ---------------------------------
c=$(conf wgf0 "Address = 10.80.0.2/32, fd80::2/128" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0, ::/0, 10.80.1.0/24
Endpoint = 127.0.0.1:51900")
# The first use of iptables-nft creates the raw and mangle tables, which stay (empty) after
# the rules are gone: let wg-quick create them once so that "before" already has them.
PATH=$NONFT wg-quick up "$c" >/dev/null 2>&1
PATH=$NONFT wg-quick down "$c" >/dev/null 2>&1
reset_sysctl
before=$(snapshot wgf0)
PATH=$NONFT wg-quick up "$c" 2>"$work/ta"; ra=$?
a=$(snapshot wgf0)
PATH=$NONFT wg-quick down "$c" >/dev/null 2>&1; reset_sysctl
expect_eq "iptables: wg-quick down restores (sanity)" "$before" "$(snapshot wgf0)"
n=$(iptsave | marked wgf0)
expect_eq "iptables: no marked rule before" 0 "$n"
PATH=$NONFT "$Q" up "$c" 2>"$work/tb"; rb=$?
b=$(snapshot wgf0)
expect_eq "iptables: up exit status" "$ra" "$rb"
expect_eq "iptables: up succeeds" 0 "$rb"
n=$(marked wgf0 <<<"$b")
expect_eq "iptables: 6 marked rules after up (raw DROP + 2 CONNMARK per family)" 6 "$n"
expect_eq "iptables: state after up (iptables-save, routes, rules, addresses) as wg-quick's" "$a" "$b"
expect_eq "iptables: trace lines as wg-quick's" "$(normtrace < "$work/ta")" "$(normtrace < "$work/tb")"
grep -qx '\[#\] iptables-restore -n' "$work/tb" && grep -qx '\[#\] ip6tables-restore -n' "$work/tb" \
  && ! grep -q 'nft' "$work/tb" && pass "iptables: swg-quick ran iptables-restore and ip6tables-restore, no nft" \
  || fail "iptables: swg-quick ran iptables-restore and ip6tables-restore, no nft" "$(cat "$work/tb")"
PATH=$NONFT "$Q" down "$c" 2>"$work/tdb"; rdb=$?; reset_sysctl
expect_eq "iptables: down exit status" 0 "$rdb"
expect_eq "iptables: state after swg-quick down" "$before" "$(snapshot wgf0)"
grep -qx '\[#\] iptables-restore -n' "$work/tdb" && grep -qx '\[#\] ip6tables-restore -n' "$work/tdb" \
  && pass "iptables: down removed the rules with iptables-restore" || fail "iptables: down removed the rules with iptables-restore" "$(cat "$work/tdb")"
PATH=$NONFT "$Q" up "$c" >/dev/null 2>&1
PATH=$NONFT wg-quick down "$c" >/dev/null 2>&1; reset_sysctl
expect_eq "iptables: wg-quick down after swg-quick up" "$before" "$(snapshot wgf0)"
PATH=$NONFT wg-quick up "$c" >/dev/null 2>&1
PATH=$NONFT "$Q" down "$c" >/dev/null 2>&1; reset_sysctl
expect_eq "iptables: swg-quick down after wg-quick up" "$before" "$(snapshot wgf0)"

# A rule of another interface (same comment scheme) must survive.
iptables -t mangle -A PREROUTING -p udp -j CONNMARK --restore-mark -m comment --comment "wg-quick(8) rule for wgf9"
before2=$(snapshot wgf0)
PATH=$NONFT "$Q" up "$c" >/dev/null 2>&1
PATH=$NONFT "$Q" down "$c" >/dev/null 2>&1; reset_sysctl
expect_eq "iptables: another interface's rule is kept" "$before2" "$(snapshot wgf0)"
iptables -t mangle -D PREROUTING -p udp -j CONNMARK --restore-mark -m comment --comment "wg-quick(8) rule for wgf9"

# Failing PostUp after the iptables rules are in: all rolled back.
c=$(conf wgf1 "Address = 10.81.0.2/32
PostUp = false" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0")
reset_sysctl
out=$(PATH=$NONFT "$Q" up "$c" 2>&1); rc=$?
[[ $rc != 0 && $out == *"[#] iptables-restore -n"* ]] && pass "iptables: failing PostUp fails after the rules" \
  || fail "iptables: failing PostUp fails after the rules" "rc $rc: $out"
expect_eq "iptables: failing PostUp leaves nothing" "$before" "$(snapshot wgf0)"

# Neither nft nor iptables-restore: a clear error once the rules and routes are in, all undone.
mkdir -p "$work/nofw"
cp -P "$NONFT"/* "$work/nofw/"
rm -f "$work/nofw/iptables-restore" "$work/nofw/ip6tables-restore"
c=$(conf wgf2 "Address = 10.81.0.2/32" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0")
reset_sysctl
out=$(PATH=$work/nofw "$Q" up "$c" 2>&1); rc=$?
[[ $rc != 0 && $out == *"swg-quick: neither \`nft' nor \`iptables-restore' is installed"* ]] \
  && pass "no nft, no iptables-restore: error names both tools" || fail "no nft, no iptables-restore: error names both tools" "rc $rc: $out"
expect_eq "no nft, no iptables-restore: nothing left" "$before" "$(snapshot wgf0)"

# --- 2. resolvectl where resolvconf is missing but systemd-resolved runs -----------------
if [[ -e $RESOLVED_SOCKET ]]; then
  fail "resolvectl: no systemd-resolved socket in the guest beforehand" "$RESOLVED_SOCKET exists"
else
  mkdir -p "${RESOLVED_SOCKET%/*}" && : > "$RESOLVED_SOCKET" && made_socket=1
fi
export PATH="$work/ctlbin:$BASEPATH"
log=$work/resolvectl.log
c=$(conf wgr0 "Address = 10.82.0.1/24
DNS = 10.82.0.53, fd82::53, corp.example, lab.example" "PublicKey = $p3
AllowedIPs = 10.83.0.0/16")
before=$(snapshot wgr0)
: > "$log"
"$Q" up "$c" 2>"$work/tr"; rc=$?
expect_eq "resolvectl: up succeeds" 0 "$rc"
expect_eq "resolvectl: up sets the servers, then search domains and ~. (resolvconf -x)" \
  "dns wgr0 10.82.0.53 fd82::53
domain wgr0 corp.example lab.example ~." "$(cat "$log")"
expect_eq "resolvectl: trace" "[#] resolvectl dns wgr0 10.82.0.53 fd82::53
[#] resolvectl domain wgr0 corp.example lab.example ~." "$(grep resolvectl "$work/tr")"
ip link show wgr0 >/dev/null 2>&1 && pass "resolvectl: link up" || fail "resolvectl: link up" "no wgr0"
cp "$c" "$work/orig"
"$Q" save "$c" >/dev/null 2>&1
grep -q '^DNS = 10.82.0.53$' "$c" && grep -q '^DNS = fd82::53$' "$c" && pass "resolvectl: save keeps the DNS servers" \
  || fail "resolvectl: save keeps the DNS servers" "$(cat "$c")"
cp "$work/orig" "$c"
: > "$log"
"$Q" down "$c" 2>"$work/trd"; rc=$?
expect_eq "resolvectl: down succeeds" 0 "$rc"
expect_eq "resolvectl: down reverts the link" "revert wgr0" "$(cat "$log")"
r=$(grep -n 'resolvectl revert wgr0' "$work/trd" | cut -d: -f1); l=$(grep -n 'ip link delete dev wgr0' "$work/trd" | cut -d: -f1)
[[ -n $r && -n $l && $r -lt $l ]] && pass "resolvectl: revert before the link is deleted" \
  || fail "resolvectl: revert before the link is deleted" "$(cat "$work/trd")"
expect_eq "resolvectl: state after down" "$before" "$(snapshot wgr0)"

for step in dns domain; do
  : > "$log"
  out=$(RESOLVECTL_FAIL=$step "$Q" up "$c" 2>&1); rc=$?
  [[ $rc != 0 ]] && pass "resolvectl: failing \`$step' fails up" || fail "resolvectl: failing \`$step' fails up" "exit 0"
  line=$(grep '^swg-quick: ' <<<"$out")
  [[ $(wc -l <<<"$line") == 1 && $line == "swg-quick: setting DNS for wgr0 through systemd-resolved failed: \`resolvectl $step wgr0 "*"' exited with status 1" ]] \
    && pass "resolvectl: failing \`$step': one clear error line" || fail "resolvectl: failing \`$step': one clear error line" "$out"
  expect_eq "resolvectl: failing \`$step': link reverted" "revert wgr0" "$(tail -n 1 "$log")"
  expect_eq "resolvectl: failing \`$step': nothing left" "$before" "$(snapshot wgr0)"
done

# resolved runs, but resolvectl is not on PATH.
out=$(PATH=$BASEPATH "$Q" up "$c" 2>&1); rc=$?
[[ $rc != 0 && $out == *"needs \`resolvconf'"*"\`resolvectl' for the running systemd-resolved"* ]] \
  && pass "no resolvconf, no resolvectl: error names both" || fail "no resolvconf, no resolvectl: error names both" "$out"
expect_eq "no resolvconf, no resolvectl: nothing left" "$before" "$(snapshot wgr0)"

# Neither resolvconf nor systemd-resolved (resolvectl alone does not count).
[[ $made_socket == 1 ]] && rm -f "$RESOLVED_SOCKET"
: > "$log"
out=$("$Q" up "$c" 2>&1); rc=$?
[[ $rc != 0 && $out == *"needs \`resolvconf'"*"systemd-resolved is not running"* ]] \
  && pass "neither resolvconf nor resolved: error names both" || fail "neither resolvconf nor resolved: error names both" "$out"
expect_eq "neither resolvconf nor resolved: one error line" 1 "$(grep -c '^swg-quick: ' <<<"$out")"
expect_eq "neither resolvconf nor resolved: resolvectl not run" "" "$(cat "$log")"
expect_eq "neither resolvconf nor resolved: nothing left" "$before" "$(snapshot wgr0)"
export PATH=$BASEPATH

# --- 3. SIGINT / SIGTERM during up --------------------------------------------------------
export PATH="$work/rcbin:$BASEPATH"
ready=$work/ready release=$work/release
# The hook touches $ready, then waits (at most 60 s) for $release: the signal always lands
# while the hook runs, however long the snapshot in between takes under TCG.
hook="touch $ready; for i in \$(seq 600); do [ -e $release ] && break; sleep 0.1; done"
# interrupt NAME SIGNAL TARGET(group|process) CONF RC: starts up in its own session, waits
# for the hook to touch $ready, checks what is in place, sends the signal (to the process
# group as Ctrl-C does, or to swg-quick alone), lets the hook end, checks the rollback.
interrupt() {
  local name=$1 sig=$2 target=$3 conf=$4 want=$5 ifc pid rc i mid
  ifc=$(basename "$conf" .conf)
  rm -f "$ready" "$release"
  reset_sysctl
  local before
  before=$(snapshot "$ifc")
  setsid "$Q" up "$conf" 2>"$work/ti" &
  pid=$!
  for ((i = 0; i < 300; i++)); do [[ -e $ready ]] && break; sleep 0.1; done
  [[ -e $ready ]] || fail "$name: hook reached" "no $ready"
  mid=$(snapshot "$ifc")
  if [[ $target == group ]]; then kill -s "$sig" -- "-$pid"; else kill -s "$sig" "$pid"; fi
  sleep 0.5
  touch "$release"
  wait "$pid"; rc=$?
  expect_eq "$name: exit status" "$want" "$rc"
  grep -qx "swg-quick: interrupted by $sig; undoing what was done" "$work/ti" \
    && pass "$name: says it was interrupted" || fail "$name: says it was interrupted" "$(cat "$work/ti")"
  expect_eq "$name: state after as before" "$before" "$(snapshot "$ifc")"
  MID=$mid
}

c=$(conf wgi0 "Address = 10.84.0.2/32, fd84::2/128
DNS = 10.84.0.53, corp.example
PostUp = $hook" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0, ::/0, 10.85.0.0/16
Endpoint = 127.0.0.1:51900")
interrupt "SIGINT (Ctrl-C) in PostUp" SIGINT group "$c" 130
for want in "wgi0" "not from all fwmark 0xca6c lookup 51820" "table ip wg-quick-wgi0" "table ip6 wg-quick-wgi0" \
  "10.85.0.0/16 dev wgi0" "default dev wgi0 table 51820" "resolvconf wgi0:" "src_valid_mark=1"; do
  [[ $MID == *"$want"* ]] && pass "SIGINT in PostUp: '$want' was in place" || fail "SIGINT in PostUp: '$want' was in place" "$MID"
done
interrupt "SIGTERM to swg-quick alone in PostUp" SIGTERM process "$c" 143
[[ $MID == *"table ip6 wg-quick-wgi0"* ]] && pass "SIGTERM in PostUp: firewall was in place" || fail "SIGTERM in PostUp: firewall was in place" "$MID"

c=$(conf wgi1 "Address = 10.86.0.2/32
PreUp = $hook" "PublicKey = $p2
AllowedIPs = 0.0.0.0/0")
interrupt "SIGINT (Ctrl-C) in PreUp" SIGINT group "$c" 130
[[ $MID == *"wgi1"* ]] && pass "SIGINT in PreUp: link was in place" || fail "SIGINT in PreUp: link was in place" "$MID"
export PATH=$BASEPATH

summary

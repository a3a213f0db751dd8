#!/usr/bin/env bash
# swg against the real wg on wireguard-go devices: every show selector, showconf, set,
# setconf/addconf/syncconf, keys, usage and error texts, byte for byte. wg applies a state
# and both read it; swg applies a change and wg reads it back.
#
# wireguard-go lists peers in Go map order, which changes on every read; outputs of
# devices with several peers are compared after sorting their peer records (norm_*).
# Where Debian's wg 1.0.20210914 differs from upstream v1.0.20260223 (which swg follows),
# the upstream behaviour is asserted on its own, in the "upstream" block at the end.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../lib.sh"
SUITE=cli
trap 'cleanup_wggo; rm -rf "$tmp"' EXIT
tmp=$(mktemp -d)
[[ -x $SWG ]] || { fail "swg binary" "missing $SWG"; summary; exit 1; }
# Run swg under the name wg, so PROG_NAME texts match.
swgw() { (exec -a wg "$SWG" "$@"); }
export -f swgw
export SWG
S=swgw
ns=swgt-cli0

# expect_same_retry: as expect_same, retried a few times for outputs with live ages/counters.
# A matching attempt passes at once (re-running it could straddle a second boundary again);
# after five misses the last comparison reports the difference.
expect_same_retry() {
  local i
  for i in 1 2 3 4; do
    if [[ "$(bash -c "$2" 2>&1; echo "rc=$?")" == "$(bash -c "$3" 2>&1; echo "rc=$?")" ]]; then
      pass "$1"
      return
    fi
    sleep 0.3
  done
  expect_same "$@"
}
# Peer records sorted: pretty/showconf paragraphs after the first; script lines all.
norm_par() { python3 -c 'import sys; p=sys.stdin.read().rstrip("\n").split("\n\n"); print("\n\n".join(p[:1]+sorted(p[1:])))'; }
norm_lines() { sort; }
# Other tests may run their own devices at the same time: keep only ours in `show all`.
only_ours_par() { python3 -c '
import re, sys
blocks = re.split(r"(?m)^(?=interface: )", sys.stdin.read())
print("".join(b for b in blocks if re.match(r"interface: cli[0-3]\n", b)), end="")'; }
# Ages in `show all` move on while a slow listing runs; exact ages are compared per device above.
mask_ages() { sed 's/latest handshake: .*/latest handshake: (age)/'; }
only_ours() { grep -E "^cli[0-3]	" || true; }
export -f norm_par only_ours_par only_ours mask_ages

start_wggo cli0 || { fail "start wireguard-go"; summary; exit 1; }
# Two more devices in the same namespace: cli1 and cli2 handshake with each other over lo.
for d in cli1 cli2 cli3; do
  ip netns exec $ns wireguard-go -f $d >/dev/null 2>&1 &
  WGGO_PIDS+=($!); WGGO_NETNS+=("swgt-$d")
done
for i in $(seq 1 100); do [[ -S /var/run/wireguard/cli3.sock && -S /var/run/wireguard/cli2.sock && -S /var/run/wireguard/cli1.sock ]] && break; sleep 0.05; done
for d in cli0 cli1 cli2 cli3; do ip -n $ns link set $d up; done

umask 077
for n in a b c d e f; do wg genkey >"$tmp/k$n"; wg pubkey <"$tmp/k$n" >"$tmp/p$n"; done
wg genpsk >"$tmp/psk"
ka=$(cat "$tmp/ka"); pa=$(cat "$tmp/pa"); pb=$(cat "$tmp/pb"); pc=$(cat "$tmp/pc"); pd=$(cat "$tmp/pd")
pe=$(cat "$tmp/pe"); pf=$(cat "$tmp/pf"); psk=$(cat "$tmp/psk")

# --- states applied with wg -------------------------------------------------------------
# cli0: many peers: PSK, v4 and v6 endpoints, keepalive without endpoint (no traffic),
# a peer with no allowed IPs, fwmark, listen port.
wg set cli0 listen-port 51820 fwmark 0xca6c private-key "$tmp/ka" \
  peer "$pc" preshared-key "$tmp/psk" allowed-ips 10.0.0.2/32,fd00::2/128 endpoint 127.0.0.1:1 \
  peer "$pd" endpoint [::1]:5555 \
  peer "$pe" allowed-ips 10.10.0.0/16,0.0.0.0/0 persistent-keepalive 3661 \
  peer "$pf" allowed-ips fd00:1::/64 persistent-keepalive 25
# cli1 <-> cli2: one peer each, a real handshake and transfer; then keepalive off so the
# counters stay still while outputs are compared.
wg set cli1 listen-port 51821 private-key "$tmp/kb" peer "$(cat "$tmp/pc")" \
  allowed-ips 10.1.0.2/32 endpoint 127.0.0.1:51822 persistent-keepalive 1 preshared-key "$tmp/psk"
wg set cli2 listen-port 51822 private-key "$tmp/kc" peer "$pb" allowed-ips 10.1.0.1/32 \
  endpoint 127.0.0.1:51821 preshared-key "$tmp/psk"
for i in $(seq 1 50); do [[ $(wg show cli1 latest-handshakes | cut -f2) != 0 ]] && break; sleep 0.1; done
sleep 1.2
wg set cli1 peer "$pc" persistent-keepalive 3600
sleep 0.5
# cli3: no private key, no peers.
hs=$(wg show cli1 latest-handshakes | cut -f2)
[[ $hs != 0 ]] && pass "handshake between cli1 and cli2" || fail "handshake between cli1 and cli2"

selectors="public-key private-key listen-port fwmark peers preshared-keys endpoints allowed-ips latest-handshakes transfer persistent-keepalive dump"

# --- show: exact on 0/1-peer devices, incl. colours and hidden keys ---------------------
for d in cli1 cli2 cli3; do
  expect_same_retry "show $d" "wg show $d" "$S show $d"
  expect_same_retry "show $d colour" "WG_COLOR_MODE=always wg show $d" "WG_COLOR_MODE=always $S show $d"
  expect_same_retry "show $d keys" "WG_HIDE_KEYS=never wg show $d" "WG_HIDE_KEYS=never $S show $d"
  expect_same_retry "show $d colour never" "WG_COLOR_MODE=never wg show $d" "WG_COLOR_MODE=never $S show $d"
  for f in $selectors; do expect_same_retry "show $d $f" "wg show $d $f" "$S show $d $f"; done
  expect_same "showconf $d" "wg showconf $d" "$S showconf $d"
done
# --- show: many peers (peer records sorted on both sides) -------------------------------
for mode in never always; do
  expect_same "show cli0 pretty $mode" "WG_COLOR_MODE=$mode wg show cli0 | norm_par" \
    "WG_COLOR_MODE=$mode $S show cli0 | norm_par"
done
for f in $selectors; do expect_same "show cli0 $f" "wg show cli0 $f | sort" "$S show cli0 $f | sort"; done
expect_same "showconf cli0" "wg showconf cli0 | norm_par" "$S showconf cli0 | norm_par"

# --- show all / interfaces ----------------------------------------------------------------
expect_same_retry "show interfaces" "wg show interfaces" "$S show interfaces"
ifs=" $($SWG show interfaces) "
[[ $ifs == *" cli0 "* && $ifs == *" cli1 "* && $ifs == *" cli2 "* && $ifs == *" cli3 "* ]] && pass "show interfaces lists ours" || fail "show interfaces lists ours" "$ifs"
expect_same_retry "show all (sorted)" "wg show all 2>/dev/null | only_ours_par | mask_ages | norm_par" "$S show all 2>/dev/null | only_ours_par | mask_ages | norm_par"
expect_same_retry "bare wg (sorted)" "wg 2>/dev/null | only_ours_par | mask_ages | norm_par" "$S 2>/dev/null | only_ours_par | mask_ages | norm_par"
for f in $selectors; do
  [[ $f == endpoints ]] && continue  # upstream differs; see below
  expect_same_retry "show all $f" "wg show all $f 2>/dev/null | only_ours | sort" "$S show all $f 2>/dev/null | only_ours | sort"
done
expect_same_retry "show all bogus" "wg show all bogus" "$S show all bogus"
expect_same "show one bogus" "wg show cli3 bogus" "$S show cli3 bogus"
# --- JSON (swg only): agrees with dump --------------------------------------------------
json=$($SWG show cli1 --json)
expect_eq "json public key" "\"publicKey\": \"$(wg show cli1 public-key)\"," "$(grep -m1 '"publicKey"' <<<"$json" | sed 's/^ *//')"
expect_eq "json endpoint" "\"endpoint\": \"127.0.0.1:51822\"," "$(grep '"endpoint"' <<<"$json" | sed 's/^ *//')"
expect_eq "json handshake" "$hs" "$(grep -o '"unixTime": [0-9]*' <<<"$json" | grep -o '[0-9]*$')"
if command -v python3 >/dev/null; then
  out=$($SWG show all --json | python3 -c 'import json,sys; d=[i for i in json.load(sys.stdin)["interfaces"] if i["name"].startswith("cli")]; print(sorted(i["name"] for i in d), sum(len(i["peers"]) for i in d))')
  expect_eq "json all parses" "['cli0', 'cli1', 'cli2', 'cli3'] 6" "$out"
fi
[[ $($SWG show cli1 --json) != *"$(cat "$tmp/kb")"* && $($SWG show cli1 --json --show-keys) == *"$(cat "$tmp/kb")"* ]] \
  && pass "json private key only with --show-keys" || fail "json private key only with --show-keys"

# --- changes applied with swg, read back with wg ------------------------------------------
$SWG setconf cli3 /dev/null
$SWG set cli3 listen-port 51830 fwmark 0x10 private-key "$tmp/kd" peer "$pa" allowed-ips 10.3.0.1/32,fd03::/64 \
  endpoint [::1]:51831 persistent-keepalive 30 preshared-key "$tmp/psk" peer "$pb" allowed-ips ''
expect_eq "set read back" "$(norm_par <<EOX
[Interface]
ListenPort = 51830
FwMark = 0x10
PrivateKey = $(cat "$tmp/kd")

[Peer]
PublicKey = $pa
PresharedKey = $psk
AllowedIPs = 10.3.0.1/32, fd03::/64
Endpoint = [::1]:51831
PersistentKeepalive = 30

[Peer]
PublicKey = $pb
EOX
)" "$(wg showconf cli3 | norm_par)"
$SWG set cli3 fwmark off listen-port 0 peer "$pa" preshared-key /dev/null persistent-keepalive off peer "$pb" remove
[[ $(wg show cli3 listen-port) != 51830 ]] && pass "listen-port 0 picks another port" || fail "listen-port 0 picks another port"
expect_eq "set off/remove read back" "off	$pa	(none)	$pa	off" \
  "$(wg show cli3 fwmark)	$(wg show cli3 preshared-keys)	$(wg show cli3 persistent-keepalive)"
expect_eq "remove left one peer" "1" "$(wg show cli3 peers | wc -l)"
$SWG set cli3 private-key /dev/null
expect_eq "private-key /dev/null removes identity" "(none)" "$(wg show cli3 private-key)"

# setconf/addconf/syncconf: swg applies, wg reads back; then the same with wg on another
# device and compare (sorted) showconf.
cat >"$tmp/a.conf" <<EOC
# comment
[Interface]
PrivateKey = $ka
ListenPort = 51840
FwMark = 0x42

[Peer]
PublicKey = $pb
PresharedKey = $psk
AllowedIPs = 10.4.0.2/32
AllowedIPs = fd04::2/128
PersistentKeepalive = 15

[ peer ]
publickey=$pc # key
Endpoint = 127.0.0.1:9
EOC
cat >"$tmp/b.conf" <<EOC
[Interface]
PrivateKey = $ka
[Peer]
PublicKey = $pb
AllowedIPs = 10.4.0.9/32
[Peer]
PublicKey = $pd
AllowedIPs = 10.4.0.10/32
EOC
for cmd in setconf addconf syncconf; do
  for conf in a b; do
    # cli2 gets the same files with another port (both devices share one namespace).
    sed 's/51840/51841/' "$tmp/$conf.conf" >"$tmp/$conf-2.conf"; sed 's/51840/51841/' "$tmp/a.conf" >"$tmp/a-2.conf"
    $SWG setconf cli3 "$tmp/a.conf"; wg setconf cli2 "$tmp/a-2.conf"
    $SWG $cmd cli3 "$tmp/$conf.conf"; r1=$?
    if [[ $cmd == syncconf ]]; then r2=0; else wg $cmd cli2 "$tmp/$conf-2.conf"; r2=$?; fi
    a=$(wg showconf cli3 | norm_par); b=$(wg showconf cli2 | norm_par)
    if [[ $cmd == syncconf ]]; then
      # Upstream: syncconf clears a PSK and keepalive the file leaves out (Debian's wg keeps them).
      if [[ $conf == a ]]; then
        expect_eq "$cmd $conf device" "51840 0x42 $ka" "$(wg show cli3 listen-port) $(wg show cli3 fwmark) $(wg show cli3 private-key)"
      else
        expect_eq "$cmd $conf device" "off $ka" "$(wg show cli3 fwmark) $(wg show cli3 private-key)"
      fi
      [[ $conf == b ]] && expect_eq "syncconf b peers" "$(printf '%s\n' "$pb	10.4.0.9/32" "$pd	10.4.0.10/32" | sort)" "$(wg show cli3 allowed-ips | sort)"
      [[ $conf == b ]] && expect_eq "syncconf clears PSK and keepalive (upstream)" "$pb	(none)	off" \
        "$(paste <(wg show cli3 preshared-keys) <(wg show cli3 persistent-keepalive | cut -f2) | grep "^$pb" | cut -f1,2,3)"
    else
      # setconf picks a random port when the file has none: compare everything else.
      expect_eq "$cmd $conf read back" "$(sed '/^ListenPort/d' <<<"$b")" "$(sed '/^ListenPort/d' <<<"$a")"
    fi
    expect_eq "$cmd $conf exit" "$r2" "$r1"
  done
done
printf '[Interface]\nListenPort = 51850\n' >"$tmp/nopeers.conf"
$SWG setconf cli3 "$tmp/a.conf"; $SWG syncconf cli3 "$tmp/nopeers.conf"
expect_eq "syncconf without peers removes all" "0" "$(wg show cli3 peers | wc -l)"

# --- keys ---------------------------------------------------------------------------------
ok=1
for i in $(seq 1 40); do
  k=$( ((i % 2)) && wg genpsk || $SWG genkey)
  [[ $(wg pubkey <<<"$k") == $($SWG pubkey <<<"$k") ]] || ok=0
done
((ok)) && pass "pubkey agrees with wg on 40 keys (unclamped included)" || fail "pubkey agrees with wg"
[[ $($SWG genkey | wg pubkey) =~ ^[A-Za-z0-9+/]{43}=$ ]] && pass "genkey accepted by wg pubkey" || fail "genkey accepted by wg pubkey"
k=$(wg genkey)
for input in "" "abc" "$k" "$k
" "$k x" "${k%?}A" "${k:0:42}B=" "$k"$'\n\n\t ' "$k"$'\n'"$k"; do
  printf '%s' "$input" >"$tmp/in"
  expect_same "pubkey input $(printf '%q' "${input:0:6}")…${#input}" "wg pubkey <$tmp/in" "$S pubkey <$tmp/in"
done
printf '%s\0\0\n' "$k" >"$tmp/in"
expect_same "pubkey trailing NULs" "wg pubkey <$tmp/in" "$S pubkey <$tmp/in"
for c in genkey genpsk; do
  expect_same "$c usage" "wg $c x" "$S $c x"
  expect_same "$c world-accessible warning" "umask 022; rm -f $tmp/w; wg $c >$tmp/w; wc -c <$tmp/w" \
    "umask 022; rm -f $tmp/w; $S $c >$tmp/w; wc -c <$tmp/w"
done
expect_same "pubkey usage" "wg pubkey x" "$S pubkey x"

# --- usage, error texts, exit codes (same in Debian's wg and upstream) ----------------------
while IFS= read -r args; do
  expect_same "args: $args" "wg $args" "$S $args"
done <<EOC
--help
help
-h
bogus
Show
--help x
show -h
show --help
show help
show a b c
show interfaces x
showconf
showconf a b
showconf --help
setconf
setconf cli3
addconf cli3
syncconf a b c
setconf cli3 $tmp/missing.conf
show cli0 nosuchselector
set cli3 remove
set cli3 peer
set cli3 listen-port
set cli3 bogus 1
set cli3 peer $pa listen-port 1
set cli3 listen-port ''
set cli3 listen-port abc
set cli3 fwmark 0x1ffffffff
set cli3 fwmark -1
set cli3 fwmark 0X10
set cli3 peer abc
set cli3 peer $pa endpoint ''
set cli3 peer $pa endpoint 1.2.3.4
set cli3 peer $pa endpoint [::1
set cli3 peer $pa endpoint [::1]
set cli3 peer $pa persistent-keepalive 70000
set cli3 peer $pa persistent-keepalive -1
set cli3 peer $pa allowed-ips 10.0.0.1/33
set cli3 peer $pa allowed-ips 10.0.0.x
set cli3 peer $pa allowed-ips fd00::/129
set cli3 private-key $tmp/missing
set cli3 peer $pa preshared-key $tmp/missing
EOC
printf 'abc' >"$tmp/short"; printf '%sx' "$k" >"$tmp/trail"
expect_same "key file short" "wg set cli3 private-key $tmp/short" "$S set cli3 private-key $tmp/short"
expect_same "key file trailing" "wg set cli3 private-key $tmp/trail" "$S set cli3 private-key $tmp/trail"
# Host-bit warning, then the change is applied by both.
expect_same "allowed-ips host bits" "wg set cli3 peer $pa allowed-ips 10.0.0.1/24; wg show cli3 allowed-ips" \
  "$S set cli3 peer $pa allowed-ips 10.0.0.1/24; wg show cli3 allowed-ips"
# Config files with errors.
i=0
while IFS= read -r body; do
  i=$((i + 1))
  printf "$body" >"$tmp/bad$i.conf"
  expect_same "conf error $i" "wg setconf cli3 $tmp/bad$i.conf" "$S setconf cli3 $tmp/bad$i.conf"
done <<'EOC'
Address = 10.0.0.1/24\n
[Interface]\nAddress = 10.0.0.1/24\n
[Peer]\nAllowedIPs = 10.0.0.1/32\n
[Interface]\nListenPort =\n
[Peer]\nPublicKey = abc\n
[Interface]\nFwMark = 0x1ffffffff\n
[Bogus]\n
PrivateKey = x\n
EOC
# Endpoint resolution: names from /etc/hosts only (no packet leaves the machine).
expect_same "bad WG_ENDPOINT_RESOLUTION_RETRIES" "WG_ENDPOINT_RESOLUTION_RETRIES=abc wg set cli3 peer $pa endpoint 127.0.0.1:1" \
  "WG_ENDPOINT_RESOLUTION_RETRIES=abc $S set cli3 peer $pa endpoint 127.0.0.1:1"
expect_same "endpoint by name" "wg set cli3 peer $pa endpoint localhost:7; wg show cli3 endpoints | grep $pa" \
  "$S set cli3 peer $pa endpoint localhost:8; wg show cli3 endpoints | grep $pa | sed 's/:8\$/:7/'"
# A missing (non-kernel, non-userspace) interface: the kernel path answers for both.
expect_same "show missing interface" "wg show swgnosuch0" "$S show swgnosuch0"
expect_same "showconf missing interface" "wg showconf swgnosuch0" "$S showconf swgnosuch0"
expect_same "set missing interface" "wg set swgnosuch0 listen-port 1" "$S set swgnosuch0 listen-port 1"

# --- upstream v1.0.20260223 where Debian's 1.0.20210914 differs (asserted, not compared) --
# 1. `show all endpoints` prefixes every line with the interface (Debian: only the first).
expect_eq "upstream: show all endpoints prefixes every line" \
  "$(for d in cli0 cli1 cli2 cli3; do wg show $d endpoints | sed "s/^/$d\t/"; done | sort)" "$($SWG show all endpoints | only_ours | sort)"
# 2. syncconf clears a removed PSK/keepalive (asserted above, "syncconf clears PSK and keepalive").
# 3. `allowed-ips +a` adds without replacing; `-a` removes (needs wireguard-go ≥ 2025-05-20:
#    this one is older and refuses, which swg reports as upstream wg does).
$SWG setconf cli3 "$tmp/a.conf"
$SWG set cli3 peer "$pb" allowed-ips +10.4.0.3/32
expect_eq "upstream: allowed-ips +prefix adds" "$pb	10.4.0.2/32 fd04::2/128 10.4.0.3/32" "$(wg show cli3 allowed-ips | grep "^$pb")"
printf '[Peer]\nPublicKey = %s\nAllowedIPs = +10.4.0.4/32\n' "$pb" >"$tmp/plus.conf"
$SWG addconf cli3 "$tmp/plus.conf"
expect_eq "upstream: AllowedIPs = +prefix in a file adds" "$pb	10.4.0.2/32 fd04::2/128 10.4.0.3/32 10.4.0.4/32" "$(wg show cli3 allowed-ips | grep "^$pb")"
out=$($SWG set cli3 peer "$pb" allowed-ips -10.4.0.3/32 2>&1); rc=$?
if [[ $rc == 0 ]]; then
  expect_eq "upstream: allowed-ips -prefix removes" "$pb	10.4.0.2/32 fd04::2/128 10.4.0.4/32" "$(wg show cli3 allowed-ips | grep "^$pb")"
else
  expect_eq "upstream: allowed-ips -prefix on an old daemon" "Unable to modify interface: Invalid argument" "$out"
fi
# 4. The set usage shows the +/- prefixes.
expect_eq "upstream: set usage" "Usage: wg set <interface> [listen-port <port>] [fwmark <mark>] [private-key <file path>] [peer <base64 public key> [remove] [preshared-key <file path>] [endpoint <ip>:<port>] [persistent-keepalive <interval seconds>] [allowed-ips [+|-]<ip1>/<cidr1>[,[+|-]<ip2>/<cidr2>]...] ]..." "$(bash -c "$S set" 2>&1)"
# 5. --version names the upstream version it follows.
[[ $($SWG --version) == "wireguard-tools v1.0.20260223 "* ]] && pass "upstream: --version" || fail "upstream: --version" "$($SWG --version)"
# swg only: update-only never creates a peer, but updates an existing one.
$SWG set cli3 peer "$pe" update-only allowed-ips 10.9.9.9/32
expect_eq "update-only does not create" "" "$(wg show cli3 peers | grep "^$pe")"
$SWG set cli3 peer "$pb" update-only persistent-keepalive 7
expect_eq "update-only updates" "$pb	7" "$(wg show cli3 persistent-keepalive | grep "^$pb")"

summary

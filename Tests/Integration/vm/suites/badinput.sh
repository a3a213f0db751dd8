#!/usr/bin/env bash
# Bad input against a kernel WireGuard device (runs in the VM), with the harness of the
# userspace suite (Tests/Integration/uapi/suites/badinput.sh, sourced): each case is run by
# the real wg and by swg, which must answer as wg does, never trap, and leave the device as
# it was. The device lives in a network namespace of its own (no route), and every command
# runs inside it.
#
# Parsing is the same for both backends and the userspace suite runs every case; under TCG
# each case costs seconds, so this suite takes one or two per kind of input plus everything
# that reaches the kernel (interface names, links that are not WireGuard). SWG_BADINPUT_ALL=1
# runs the whole userspace list here too (about 17 minutes).
here=$(cd "$(dirname "$0")" && pwd)
SUITE=badinput-kernel
BADINPUT_LIB=1 source "$here/../../uapi/suites/badinput.sh"

[[ -x $SWG ]] || { fail "swg binary" "missing $SWG"; summary; exit 1; }
BI_TMP=$(mktemp -d)
DEV=bad0
NS=swgt-kbad0
cleanup() { ip netns del "$NS" 2>/dev/null; rm -rf "$BI_TMP"; }
trap cleanup EXIT
ip netns add "$NS" || { fail "netns"; summary; exit 1; }
ip -n "$NS" link set lo up
ip -n "$NS" link add "$DEV" type wireguard || { fail "kernel device" "ip link add failed"; summary; exit 1; }
bi_setup

if [[ ${SWG_BADINPUT_ALL:-0} == 1 ]]; then
  bi_cases
  bi_big_file
else
  d=$DEV p=$BI_PEER1 t=$BI_TMP
  bi_case "key: non-canonical padding bits" set "$d" peer "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB="
  bi_case "key: 45 characters" set "$d" peer "${p}A"
  printf '%s x\n' "$(cat "$t/priv")" >"$t/trailing.key"
  bi_case "key file: trailing garbage" set "$d" private-key "$t/trailing.key"
  bi_case "port: name" set "$d" listen-port notaservice
  bi_same_case "port: 65536 wraps to 0 as in wg" set "$d" listen-port 65536
  bi_case "fwmark: 2^32" set "$d" fwmark 4294967296
  bi_case "keepalive: 65536" set "$d" peer "$p" persistent-keepalive 65536
  bi_case "endpoint: unbalanced bracket" set "$d" peer "$p" endpoint "[::1:5"
  bi_case "endpoint: overlong host" set "$d" peer "$p" endpoint "$(printf 'a%.0s' {1..300}):1"
  bi_case "allowed-ips: /129" set "$d" peer "$p" allowed-ips fd00::/129
  bi_case "allowed-ips: bad then good" set "$d" peer "$p" allowed-ips 10.0.0.0/8,10.0.0.0/40
  bi_case "set: good words then bad" set "$d" listen-port 1 fwmark 2 peer "$p" endpoint nowhere
  printf '[Interface]\nListenPort = 1\n[Peer]\nAllowedIPs = 10.0.0.0/8\n' >"$t/c.conf"
  bi_case "config: peer without public key" setconf "$d" "$t/c.conf"
  printf '[Peer]\nPublicKey = %s\nAllowedIPs = 10.0.0.0/33\n' "$p" >"$t/c.conf"
  bi_case "config: bad allowed IP" addconf "$d" "$t/c.conf"
  bi_case "config: bad allowed IP (syncconf)" syncconf "$d" "$t/c.conf"
fi
# What reaches the kernel: names it refuses or does not know.
# Names of 16+ bytes: upstream wg (v1.0.20250521) refuses them on get with ENAMETOOLONG;
# Debian's 1.0.20210914 asks the kernel first. swg follows upstream.
bi_swg_case "ifname: 16 bytes (upstream refuses it: ENAMETOOLONG)" 1 "Unable to access interface: File name too long" show aaaaaaaaaaaaaaaa
bi_case "ifname: set 16 bytes" set aaaaaaaaaaaaaaaa listen-port 1
bi_swg_case "ifname: 100 bytes (upstream refuses it: ENAMETOOLONG)" 1 "Unable to access interface: File name too long" show "$(printf 'x%.0s' {1..100})"
bi_case "ifname: slash" show "a/b"
bi_case "ifname: empty" show ""
bi_case "ifname: missing" showconf nosuchdev0
bi_case "ifname: setconf missing" setconf nosuchdev0 /dev/null
ip -n "$NS" link add dummy0 type dummy 2>/dev/null && bi_case "ifname: not a WireGuard link" show dummy0
bi_case "ifname: set on a non-WireGuard link" set lo listen-port 1
summary

#!/usr/bin/env bash
# Bad input against a kernel WireGuard device (runs in the VM): the same cases as the
# userspace suite (Tests/Integration/uapi/suites/badinput.sh, sourced for its case list),
# each run by the real wg and by swg, which must answer as wg does, never trap, and leave
# the device as it was. The device lives in a network namespace of its own (no route), and
# every command runs inside it.
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
bi_cases
bi_big_file
# A name that is a link but not a WireGuard one.
ip -n "$NS" link add dummy0 type dummy 2>/dev/null && bi_case "ifname: not a WireGuard link" show dummy0
bi_case "ifname: loopback" set lo listen-port 1
summary

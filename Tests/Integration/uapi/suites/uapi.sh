#!/usr/bin/env bash
# The UAPI backend through swg, against wg: discovery and stale sockets, a scripted daemon
# sending malformed replies and both errno signs (swg must print what wg prints), and
# daemons that hang or die (swg must give up; wg would wait forever).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../lib.sh"
SUITE=uapi
tmp=$(mktemp -d)
fake_pid=
cleanup() {
  [[ -n $fake_pid ]] && kill "$fake_pid" 2>/dev/null
  # Stopped daemons cannot die until continued.
  for p in "${WGGO_PIDS[@]}"; do kill -CONT "$p" 2>/dev/null; done
  cleanup_wggo
  rm -f /var/run/wireguard/uapifake.sock
  rm -rf "$tmp"
}
trap cleanup EXIT
[[ -x $SWG ]] || { fail "swg binary" "missing $SWG"; summary; exit 1; }
swgw() { (exec -a wg "$SWG" "$@"); }
export -f swgw
export SWG

# --- discovery: live and stale sockets -------------------------------------------------
start_wggo uapi0 || { fail "start wireguard-go"; summary; exit 1; }
start_wggo uapi1 || { fail "start wireguard-go"; summary; exit 1; }
ours() { grep -ow 'uapi[01]' | sort; }
expect_eq "show interfaces lists live daemons" "$(wg show interfaces | tr ' ' '\n' | ours)" \
  "$(swgw show interfaces | tr ' ' '\n' | ours)"

kill -9 "${WGGO_PIDS[1]}"; wait "${WGGO_PIDS[1]}" 2>/dev/null
if [[ -S /var/run/wireguard/uapi1.sock ]]; then
  swgw show uapi1 >"$tmp/out" 2>"$tmp/err"; rc=$?
  [[ ! -e /var/run/wireguard/uapi1.sock ]] && pass "stale socket unlinked" \
    || fail "stale socket unlinked" "still there"
  # Both now fall back to the kernel for that name and must agree.
  expect_same "stale name falls back like wg" "wg show uapi1" "swgw show uapi1"
  expect_eq "stale name exit code" 1 "$rc"
else
  pass "stale socket unlinked (by another lister first)"
fi
expect_eq "stale daemon not listed" "" "$(swgw show interfaces | tr ' ' '\n' | grep -x uapi1)"

# --- a scripted daemon: swg's error texts are wg's ---------------------------------------
cat >"$tmp/fake.py" <<'EOF'
import os, socket, sys
path, reply_file = sys.argv[1], sys.argv[2]
try: os.unlink(path)
except FileNotFoundError: pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(16)
while True:
    c, _ = s.accept()
    data = b""
    while not data.endswith(b"\n\n"):
        d = c.recv(65536)
        if not d: break
        data += d
    if data:  # wg and swg probe with an empty connection first
        with open(reply_file, "rb") as f: c.sendall(f.read())
    c.close()
EOF
mkdir -p /var/run/wireguard
printf 'errno=0\n\n' >"$tmp/reply"
python3 "$tmp/fake.py" /var/run/wireguard/uapifake.sock "$tmp/reply" & fake_pid=$!
for _ in $(seq 100); do [[ -S /var/run/wireguard/uapifake.sock ]] && break; sleep 0.05; done

k1=$(printf '%064x' 1); k2=c5320103b5e4e6c5a43b0f1a8f0c2b1f0e5b4a39281706f5e4d3c2b1a0f9f038
get_replies=(
  "private_key=$k1\nlisten_port=51820\nfwmark=7\npublic_key=$k2\npreshared_key=$(printf '%064x' 0)\nendpoint=[::1]:9\nallowed_ip=10.0.0.0/8\nallowed_ip=fd00::/64\nlast_handshake_time_sec=0\nrx_bytes=5\ntx_bytes=6\npersistent_keepalive_interval=25\nerrno=0\n\n"
  "errno=22\n\n" "errno=-22\n\n" "errno=5\n\n" "listen_port 1\n\n" "listen_port=1\n"
  "public_key=zz\nerrno=0\n\n" "listen_port=70000\nerrno=0\n\n" "unknown_key=1\nerrno=0\n\n" "\n"
)
i=0
for r in "${get_replies[@]}"; do
  printf "$r" >"$tmp/reply"
  expect_same "get reply $i: dump" "wg show uapifake dump" "swgw show uapifake dump"
  expect_same "get reply $i: showconf" "wg showconf uapifake" "swgw showconf uapifake"
  i=$((i + 1))
done
i=0
for r in "errno=0\n\n" "errno=-22\n\n" "errno=22\n\n" "errno=-98\n\n" "\n" "errno=x\n\n" "errno=0\n" "x\n\n"; do
  printf "$r" >"$tmp/reply"
  expect_same "set reply $i" "wg set uapifake listen-port 1" "swgw set uapifake listen-port 1"
  i=$((i + 1))
done

# --- permission denied: the socket is root's, 0700 ----------------------------------------
if command -v setpriv >/dev/null; then
  asnobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
  expect_same "permission denied like wg" "$asnobody wg show uapi0" \
    "$asnobody bash -c 'exec -a wg \"\$SWG\" show uapi0'"
  expect_same "permission denied on set like wg" "$asnobody wg set uapi0 listen-port 1" \
    "$asnobody bash -c 'exec -a wg \"\$SWG\" set uapi0 listen-port 1'"
fi

# --- daemons that hang or die ----------------------------------------------------------
pid0=${WGGO_PIDS[0]}
kill -STOP "$pid0"
t0=$(date +%s)
SWG_UAPI_TIMEOUT=5 timeout 60 "$SWG" show uapi0 >/dev/null 2>"$tmp/err"; rc=$?
t1=$(date +%s)
expect_eq "hung daemon: exit 1" 1 "$rc"
case $(cat "$tmp/err") in
  "Unable to access interface: Connection timed out"*) pass "hung daemon: timeout text" ;;
  *) fail "hung daemon: timeout text" "$(cat "$tmp/err")" ;;
esac
(( t1 - t0 <= 15 )) && pass "hung daemon: gave up in $((t1 - t0)) s" || fail "hung daemon: gave up" "$((t1 - t0)) s"

# A big setconf to a stopped daemon, which is then killed: swg must fail promptly.
python3 - "$tmp/big.conf" <<'EOF'
import base64, os, sys
with open(sys.argv[1], "w") as f:
    f.write("[Interface]\nListenPort = 40100\n")
    for i in range(20000):
        k = base64.b64encode(os.urandom(32)).decode()
        f.write(f"\n[Peer]\nPublicKey = {k}\nAllowedIPs = 10.{i >> 8 & 255}.{i & 255}.0/24\nEndpoint = 127.0.0.1:{1024 + i}\n")
EOF
"$SWG" setconf uapi0 "$tmp/big.conf" >/dev/null 2>"$tmp/err" & setter=$!
# Wait until swg is connected (it parses the file first), then let it fill the socket.
for _ in $(seq 300); do
  ls -l "/proc/$setter/fd" 2>/dev/null | grep -q 'socket:' && break
  sleep 0.1
done
sleep 0.5
kill -9 "$pid0"; wait "$pid0" 2>/dev/null
t0=$(date +%s)
wait "$setter"; rc=$?
t1=$(date +%s)
expect_eq "killed mid-set: exit 1" 1 "$rc"
case $(cat "$tmp/err") in
  "Unable to modify interface: Broken pipe" | "Unable to modify interface: Connection reset by peer" | \
    "Unable to modify interface: Protocol error") pass "killed mid-set: error text ($(cat "$tmp/err"))" ;;
  *) fail "killed mid-set: error text" "$(cat "$tmp/err")" ;;
esac
(( t1 - t0 <= 5 )) && pass "killed mid-set: gave up in $((t1 - t0)) s" || fail "killed mid-set: gave up" "$((t1 - t0)) s"

summary

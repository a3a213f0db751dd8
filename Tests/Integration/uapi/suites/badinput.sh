#!/usr/bin/env bash
# Bad input against a live wireguard-go device: every case runs the real wg and swg on
# the same words or file and checks that swg
#   - exits as wg does (1) with wg's message (program name normalised),
#   - never traps (exit 132/133/134/139, or "Fatal error" on stderr, is a failure),
#   - leaves the device exactly as it was (`wg showconf` before and after).
# Every command runs inside the device's network namespace (loopback only, no route), so
# an endpoint name lookup cannot leave the machine.
#
# The VM suite (Tests/Integration/vm/suites/badinput.sh) sources this file with
# BADINPUT_LIB=1 to get the same cases against a kernel device.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../lib.sh"
SUITE=${SUITE:-badinput}

# --- the harness ----------------------------------------------------------------------------
# Set by the caller: DEV (interface), NS (its namespace), BI_TMP (scratch dir).
bi_wg() { ip netns exec "$NS" wg "$@"; }
bi_swg() { ip netns exec "$NS" bash -c 'exec -a wg "$0" "$@"' "$SWG" "$@"; }
# Peers sorted: wireguard-go lists them in Go map order.
bi_state() {
  bi_wg showconf "$DEV" 2>&1 | python3 -c 'import sys; p=sys.stdin.read().rstrip("\n").split("\n\n"); print("\n\n".join(p[:1]+sorted(p[1:])))'
}
# is_trap RC STDERR: what a Swift runtime trap or a crash looks like.
is_trap() { [[ $1 == 132 || $1 == 133 || $1 == 134 || $1 == 139 || $2 == *"Fatal error"* ]]; }

# bi_case NAME ARGS...: wg and swg must agree (stdout, stderr, exit code), swg must not trap,
# and the device must be unchanged. $BI_STDIN, when set, is fed to both.
bi_case() {
  local name=$1; shift
  local before after ow ew rw os es rs
  before=$(bi_state)
  ow=$(bi_wg "$@" <"${BI_STDIN:-/dev/null}" 2>"$BI_TMP/ew"); rw=$?; ew=$(<"$BI_TMP/ew")
  after=$(bi_state)
  if [[ $before != "$after" ]]; then
    fail "$name: wg itself changed the device" "case is not a bad-input case"
    bi_restore; return
  fi
  os=$(bi_swg "$@" <"${BI_STDIN:-/dev/null}" 2>"$BI_TMP/es"); rs=$?; es=$(<"$BI_TMP/es")
  after=$(bi_state)
  if is_trap "$rs" "$es"; then
    fail "$name" "swg trapped: exit $rs: $(head -c 300 <<<"$es")"
  elif [[ $rs != "$rw" || $os != "$ow" || ${es//swg/wg} != "$ew" ]]; then
    fail "$name" "wg: exit $rw, swg: exit $rs"
    diff <(printf '%s\n' "$ow" "--stderr--" "$ew") <(printf '%s\n' "$os" "--stderr--" "$es") | head -n 8 | sed 's/^/    /'
  elif [[ $rs == 0 ]]; then
    fail "$name" "both exited 0: not a bad-input case"
  elif [[ $before != "$after" ]]; then
    fail "$name" "swg changed the device"
    diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") | head -n 8 | sed 's/^/    /'
    bi_restore
  else
    pass "$name"
  fi
}

# bi_swg_case NAME WANT_RC TEXT ARGS...: where wg has no answer to compare with (it hangs,
# or trusts its input): swg must exit WANT_RC with TEXT somewhere on stderr, in time.
bi_swg_case() {
  local name=$1 want=$2 text=$3; shift 3
  local before after es rs
  before=$(bi_state)
  timeout 30 bash -c 'ip netns exec "$0" "$1" "${@:2}"' "$NS" "$SWG" "$@" </dev/null >/dev/null 2>"$BI_TMP/es"
  rs=$?; es=$(<"$BI_TMP/es")
  after=$(bi_state)
  if is_trap "$rs" "$es"; then fail "$name" "swg trapped: exit $rs: $(head -c 300 <<<"$es")"
  elif [[ $rs == 124 ]]; then fail "$name" "swg still running after 30 s"
  elif [[ $rs != "$want" ]]; then fail "$name" "exit $rs, wanted $want: $es"
  elif [[ $es != *"$text"* ]]; then fail "$name" "stderr lacks '$text': $es"
  elif [[ $before != "$after" ]]; then fail "$name" "device changed"; bi_restore
  else pass "$name"; fi
}

# bi_same_case NAME ARGS...: input that wg takes although it looks bad (getaddrinfo reads
# port 65536 and wraps it; a directory reads as an empty file): swg must answer as wg does
# and leave the device as wg leaves it.
bi_same_case() {
  local name=$1; shift
  local ow ew rw os es rs sw ss
  ow=$(bi_wg "$@" 2>"$BI_TMP/ew"); rw=$?; ew=$(<"$BI_TMP/ew")
  sw=$(bi_state | bi_mask)
  bi_restore
  os=$(bi_swg "$@" 2>"$BI_TMP/es"); rs=$?; es=$(<"$BI_TMP/es")
  ss=$(bi_state | bi_mask)
  bi_restore
  if is_trap "$rs" "$es"; then fail "$name" "swg trapped: exit $rs: $(head -c 300 <<<"$es")"
  elif [[ $rs != "$rw" || $os != "$ow" || ${es//swg/wg} != "$ew" ]]; then
    fail "$name" "wg: exit $rw, swg: exit $rs"
    diff <(printf '%s\n' "$ow" "--stderr--" "$ew") <(printf '%s\n' "$os" "--stderr--" "$es") | head -n 8 | sed 's/^/    /'
  elif [[ $sw != "$ss" ]]; then
    fail "$name" "device differs after wg and after swg"
    diff <(printf '%s\n' "$sw") <(printf '%s\n' "$ss") | head -n 8 | sed 's/^/    /'
  else pass "$name (as wg: exit $rw)"; fi
}

# Port 0 means "pick one": the pick differs between two runs, so compare that line's shape.
bi_mask() { sed -E 's/^ListenPort = [0-9]+$/ListenPort = (picked)/'; }

bi_restore() { bi_wg setconf "$DEV" "$BI_TMP/state.conf"; }

# bi_setup: a device with some of everything, so that a change would show.
bi_setup() {
  umask 077
  local k
  k=$(wg genkey)
  echo "$k" >"$BI_TMP/priv"
  BI_PEER1=$(wg genkey | wg pubkey)
  BI_PEER2=$(wg genkey | wg pubkey)
  wg genpsk >"$BI_TMP/psk"
  cat >"$BI_TMP/state.conf" <<EOF
[Interface]
PrivateKey = $k
ListenPort = 40001
FwMark = 0x51

[Peer]
PublicKey = $BI_PEER1
PresharedKey = $(cat "$BI_TMP/psk")
AllowedIPs = 10.9.0.1/32, fd09::1/128
Endpoint = 127.0.0.1:40002
PersistentKeepalive = 21

[Peer]
PublicKey = $BI_PEER2
AllowedIPs = 10.9.1.0/24
Endpoint = [::1]:40003
EOF
  bi_restore
}

# --- the cases ------------------------------------------------------------------------------
bi_cases() {
  local d=$DEV p=$BI_PEER1 t=$BI_TMP key
  key=$(cat "$t/priv")
  # Keys.
  bi_case "key: short" set "$d" peer AAAA
  bi_case "key: 45 characters" set "$d" peer "${p}A"
  bi_case "key: 43 characters" set "$d" peer "${p:1}"
  bi_case "key: bad base64 character" set "$d" peer "${p:0:10}!${p:11}"
  bi_case "key: no padding" set "$d" peer "${p:0:43}A"
  bi_case "key: non-canonical padding bits" set "$d" peer "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB="
  bi_case "key: empty" set "$d" peer ""
  bi_case "key: private key on argv is a path" set "$d" private-key "$key"
  printf '%s' "${key:0:40}" >"$t/short.key"
  bi_case "key file: short" set "$d" private-key "$t/short.key"
  printf '%s x\n' "$key" >"$t/trailing.key"
  bi_case "key file: trailing garbage" set "$d" private-key "$t/trailing.key"
  printf '%sA\n' "$key" >"$t/long.key"
  bi_case "key file: 45 characters" set "$d" preshared-key "$t/long.key"
  bi_case "key file: missing" set "$d" private-key "$t/does-not-exist"
  bi_case "key file: a directory" set "$d" private-key "$t"
  printf '%s' "${key:0:10}!${key:11}" >"$t/bad64.key"
  bi_case "key file: bad base64" set "$d" peer "$p" preshared-key "$t/bad64.key"
  # Ports.
  bi_same_case "port: 65536 wraps to 0 as in wg" set "$d" listen-port 65536
  bi_case "port: -1" set "$d" listen-port -1
  bi_case "port: name" set "$d" listen-port notaservice
  bi_case "port: empty" set "$d" listen-port ""
  bi_case "port: 99999999999999999999" set "$d" listen-port 99999999999999999999
  # Fwmarks.
  bi_case "fwmark: 2^32" set "$d" fwmark 4294967296
  bi_case "fwmark: 0x100000000" set "$d" fwmark 0x100000000
  bi_case "fwmark: -1" set "$d" fwmark -1
  bi_case "fwmark: word" set "$d" fwmark on
  bi_case "fwmark: empty" set "$d" fwmark ""
  bi_case "fwmark: 0x" set "$d" fwmark 0x
  # Keepalive.
  bi_case "keepalive: 65536" set "$d" peer "$p" persistent-keepalive 65536
  bi_case "keepalive: -1" set "$d" peer "$p" persistent-keepalive -1
  bi_case "keepalive: word" set "$d" peer "$p" persistent-keepalive on
  bi_case "keepalive: empty" set "$d" peer "$p" persistent-keepalive ""
  # Endpoints.
  bi_case "endpoint: missing port" set "$d" peer "$p" endpoint 127.0.0.1
  bi_case "endpoint: empty port" set "$d" peer "$p" endpoint 127.0.0.1:
  bi_case "endpoint: unbalanced bracket" set "$d" peer "$p" endpoint "[::1:5"
  bi_case "endpoint: bracket without port" set "$d" peer "$p" endpoint "[::1]"
  bi_case "endpoint: empty" set "$d" peer "$p" endpoint ""
  bi_same_case "endpoint: port 65536 wraps as in wg" set "$d" peer "$p" endpoint 127.0.0.1:65536
  bi_case "endpoint: overlong host" set "$d" peer "$p" endpoint "$(printf 'a%.0s' {1..300}):1"
  bi_case "endpoint: overlong label" set "$d" peer "$p" endpoint "$(printf 'b%.0s' {1..70}).invalid:1"
  # Allowed IPs.
  bi_case "allowed-ips: /33" set "$d" peer "$p" allowed-ips 10.0.0.0/33
  bi_case "allowed-ips: /129" set "$d" peer "$p" allowed-ips fd00::/129
  bi_case "allowed-ips: garbage" set "$d" peer "$p" allowed-ips garbage
  bi_case "allowed-ips: empty prefix" set "$d" peer "$p" allowed-ips 10.0.0.0/
  bi_case "allowed-ips: negative prefix" set "$d" peer "$p" allowed-ips 10.0.0.0/-1
  bi_case "allowed-ips: three octets" set "$d" peer "$p" allowed-ips 1.2.3/24
  bi_case "allowed-ips: octet 256" set "$d" peer "$p" allowed-ips 256.0.0.0/8
  bi_case "allowed-ips: empty entry" set "$d" peer "$p" allowed-ips 10.0.0.0/8,,10.1.0.0/16
  bi_case "allowed-ips: hex prefix" set "$d" peer "$p" allowed-ips ::/0x10
  bi_case "allowed-ips: bad then good" set "$d" peer "$p" allowed-ips 10.0.0.0/8,10.0.0.0/40
  # Grammar.
  bi_case "set: unknown word" set "$d" frobnicate 1
  bi_case "set: device word after peer" set "$d" peer "$p" listen-port 1
  bi_case "set: peer word before peer" set "$d" remove
  bi_case "set: value missing" set "$d" listen-port
  bi_case "set: peer without key" set "$d" peer
  bi_case "set: good words then bad" set "$d" listen-port 1 fwmark 2 peer "$p" endpoint nowhere
  # Interface names.
  # Names of 16+ bytes: upstream wg (v1.0.20250521) refuses them on get with ENAMETOOLONG;
  # Debian's 1.0.20210914 asks the kernel first. swg follows upstream.
  bi_swg_case "ifname: 16 bytes (upstream refuses it: ENAMETOOLONG)" 1 "Unable to access interface: File name too long" show aaaaaaaaaaaaaaaa
  bi_swg_case "ifname: 100 bytes (upstream refuses it: ENAMETOOLONG)" 1 "Unable to access interface: File name too long" show "$(printf 'x%.0s' {1..100})"
  bi_case "ifname: slash" show "a/b"
  bi_case "ifname: empty" show ""
  bi_case "ifname: set 16 bytes" set aaaaaaaaaaaaaaaa listen-port 1
  bi_case "ifname: showconf missing" showconf nosuchdev0
  # Config files.
  bi_conf() { printf "$2" "${@:3}" >"$t/c.conf"; bi_case "config: $1" setconf "$d" "$t/c.conf"; }
  bi_conf "key before section" 'PrivateKey = %s\n[Interface]\n' "$key"
  bi_conf "unknown interface key" '[Interface]\nFoo = bar\n'
  bi_conf "unknown peer key" '[Peer]\nPublicKey = %s\nFoo = bar\n' "$p"
  bi_conf "unknown section" '[Interfaces]\nListenPort = 1\n'
  bi_conf "invalid UTF-8" '[Interface]\nListenPort = \xff\xfe\n'
  bi_conf "invalid UTF-8 key" '[Interface]\n\xc3\x28 = 1\n'
  bi_conf "NUL byte" '[Interface]\nListen\0Port = 1\n'
  bi_conf "peer without public key" '[Interface]\nListenPort = 1\n[Peer]\nAllowedIPs = 10.0.0.0/8\n'
  printf '[Interface]\nListenPort = 70000\n' >"$t/c.conf"
  bi_same_case "config: port 70000 wraps as in wg" setconf "$d" "$t/c.conf"
  bi_conf "bad port" '[Interface]\nListenPort = 7x\n'
  bi_conf "bad allowed IP" '[Peer]\nPublicKey = %s\nAllowedIPs = 10.0.0.0/33\n' "$p"
  bi_conf "empty value" '[Interface]\nListenPort =\n'
  bi_conf "no equals" '[Interface]\nListenPort\n'
  bi_conf "bad key" '[Peer]\nPublicKey = %s==\n' "${p:0:42}"
  bi_conf "bad endpoint" '[Peer]\nPublicKey = %s\nEndpoint = [::1\n' "$p"
  { printf '[Interface]\nListenPort = 1\nPrivateKey = '; head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' 'A'; printf '\n'; } >"$t/long.conf"
  bi_case "config: 10 MB line" setconf "$d" "$t/long.conf"
  bi_case "config: missing file" setconf "$d" "$t/nope.conf"
  bi_same_case "config: a directory reads as empty, as in wg" setconf "$d" "$t"
  rm -f "$t/long.conf"
}

# 1 GB sparse config file: must be refused quickly and without reading it all into memory.
bi_big_file() {
  local before after es rs rss t0 t1
  truncate -s 1G "$BI_TMP/big.conf"
  before=$(bi_state)
  t0=$(date +%s%N)
  ip netns exec "$NS" /usr/bin/time -f '%M' -o "$BI_TMP/rss" "$SWG" setconf "$DEV" "$BI_TMP/big.conf" >/dev/null 2>"$BI_TMP/es"
  rs=$?; t1=$(date +%s%N); es=$(<"$BI_TMP/es")
  rss=$(tail -n 1 "$BI_TMP/rss")
  after=$(bi_state)
  rm -f "$BI_TMP/big.conf"
  [[ $before == "$after" ]] || bi_restore
  if is_trap "$rs" "$es"; then fail "config: 1 GB file" "swg trapped: $rs"
  elif [[ $rs != 1 ]]; then fail "config: 1 GB file" "exit $rs after $(((t1 - t0) / 1000000)) ms, peak RSS ${rss} KB (read it all and applied an empty config)"
  elif ((rss > 200000)); then fail "config: 1 GB file" "peak RSS ${rss} KB: read it all"
  elif [[ $before != "$after" ]]; then fail "config: 1 GB file" "device changed"
  else pass "config: 1 GB file refused in $(((t1 - t0) / 1000000)) ms, peak RSS ${rss} KB: ${es%%$'\n'*}"; fi
}

[[ ${BADINPUT_LIB:-0} == 1 ]] && return 0

# --- userspace run ----------------------------------------------------------------------------
[[ -x $SWG ]] || { fail "swg binary" "missing $SWG"; summary; exit 1; }
BI_TMP=$(mktemp -d)
DEV=bad0
NS=swgt-$DEV
trap 'cleanup_wggo; rm -rf "$BI_TMP"' EXIT
start_wggo "$DEV" || { fail "start wireguard-go"; summary; exit 1; }
bi_setup
bi_cases
bi_big_file

# A daemon that misbehaves: a Python server on a socket of its own, per reply shape.
# wg has no limits here (it hangs, or reads any amount), so swg's own message is checked.
fake_daemon() { # NAME REPLY_PY_EXPR: serve one connection with that reply, then exit
  python3 - "$1" "$2" <<'PY' &
import os, socket, sys, time
path = "/var/run/wireguard/%s.sock" % sys.argv[1]
try: os.unlink(path)
except FileNotFoundError: pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(4)
s.settimeout(200)
try:
    while True:
        c, _ = s.accept()
        c.settimeout(60)
        req = b""
        while not req.endswith(b"\n\n"):
            b = c.recv(65536)
            if not b: break
            req += b
        reply = eval(sys.argv[2])
        if reply is None:
            time.sleep(200)  # never finishes
        else:
            try: c.sendall(reply)
            except OSError: pass
        c.close()
except socket.timeout:
    pass
finally:
    os.unlink(path)
PY
  FAKE_PID=$!
  local i
  for i in $(seq 1 100); do [[ -S /var/run/wireguard/$1.sock ]] && return 0; sleep 0.05; done
}
fake_case() { # NAME REPLY WANT_TEXT [ARGS...]: swg ARGS (default: show badf0) against it
  # FAKE_LIMIT: seconds swg may take; FAKE_ENV: VAR=VALUE words for swg's environment.
  local name=$1 reply=$2 text=$3 limit=${FAKE_LIMIT:-30}; shift 3
  (($#)) || set -- show badf0
  fake_daemon badf0 "$reply"
  local es rs
  local t0=$SECONDS
  timeout "$limit" env ${FAKE_ENV:-} "$SWG" "$@" >/dev/null 2>"$BI_TMP/es"; rs=$?; es=$(<"$BI_TMP/es")
  kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null
  rm -f /var/run/wireguard/badf0.sock
  if is_trap "$rs" "$es"; then fail "daemon: $name" "swg trapped: exit $rs: $(head -c 300 <<<"$es")"
  elif [[ $rs == 124 ]]; then fail "daemon: $name" "swg still running after $limit s"
  elif [[ $rs != 1 ]]; then fail "daemon: $name" "exit $rs: $es"
  elif [[ $es != *"$text"* ]]; then fail "daemon: $name" "stderr lacks '$text': $es"
  else pass "daemon: $name ($((SECONDS - t0)) s)"; fi
}
fake_case "garbage" 'b"\x00\xff garbage without equals\n\n"' "Protocol error"
fake_case "no errno" 'b"listen_port=1\n\n"' "Protocol error"
fake_case "errno=-22 (wireguard-go sign)" 'b"errno=-22\n\n"' "Protocol error"
fake_case "errno=19" 'b"errno=19\n\n"' "No such device"
fake_case "ends early" 'b"private_key=00"' "Protocol error"
fake_case "bad key" 'b"private_key=zz\nerrno=0\n\n"' "Protocol error"
fake_case "bad allowed IP" 'b"public_key=" + b"0"*64 + b"\nallowed_ip=1.2.3.4/33\nerrno=0\n\n"' "Protocol error"
fake_case "huge line" 'b"x=" + b"a"*(8<<20) + b"\n\n"' "Protocol error"
# swg gives up after SWG_UAPI_TIMEOUT seconds (120 by default; wg would wait forever).
FAKE_ENV=SWG_UAPI_TIMEOUT=3 fake_case "never finishes" 'None' "Unable to access interface"
fake_case "set: garbage reply" 'b"nonsense\n\n"' "Protocol error" set badf0 listen-port 1
summary

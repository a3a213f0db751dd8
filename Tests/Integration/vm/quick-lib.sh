# Helpers shared by the swg-quick VM suites (quick.sh, quick-fallbacks.sh); sourced, not run.
# They use the caller's $work (scratch directory) and $k1 (the interface's private key).

# conf NAME BODY-OF-INTERFACE-SECTION PEERS...: writes $work/conf/NAME.conf, mode 0600.
conf() {
  local name=$1 iface=$2; shift 2
  {
    printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\n%s\n' "$k1" "$iface"
    for peer in "$@"; do printf '\n[Peer]\n%s\n' "$peer"; done
  } > "$work/conf/$name.conf"
  chmod 600 "$work/conf/$name.conf"
  echo "$work/conf/$name.conf"
}

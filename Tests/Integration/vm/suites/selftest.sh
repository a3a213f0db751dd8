#!/usr/bin/env bash
# The kernel's own WireGuard selftest (tools/testing/selftests/wireguard/netns.sh from
# Debian's linux-source-6.12), run in the VM with `wg` resolving to swg.
#
# scripts/selftest-setup.sh must have run on the host first: it installs the tools and
# extracts netns.sh to $ROOT/.build-selftest/ (the guest sees the host's files read-only).
#
# netns.sh is `set -e`: it stops at its first failing command. To see every failure of a
# run, the script is run with `set -e` replaced by an ERR trap that logs the failing line
# and goes on. Each logged failure is then either listed below as known to fail on this
# VM for a reason that has nothing to do with wg(8) (kernel option missing, TCG timing),
# or it fails this suite. The run also fails if netns.sh does not reach its end.
#
# Measured on Debian's 6.1.0-56 kernel under TCG (2 vCPUs): with the real wg every command
# of netns.sh passes (211 s); with swg (debug build) too (356 s). No check depends on an
# option this kernel lacks, with one caveat: the last check ("Objects that were created
# were also destroyed") reads wg's object lifetime messages from /dev/kmsg, which only
# CONFIG_WIREGUARD_DEBUG prints; Debian builds without it, so that check passes vacuously.
#
# Environment (all optional):
#   SWG_SELFTEST_WG=swg|wg|both   which wg(8) to put first on PATH (default swg)
#   SWG_SELFTEST_SCRIPT=PATH      netns.sh to run (default $ROOT/.build-selftest/netns.sh)
#   SWG_SELFTEST_MODE=full|reduced  reduced skips the iperf3 throughput runs (see below)
#   SWG_SELFTEST_TIMEOUT=SECONDS  per run (default 2400)
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../../lib.sh"
SUITE=selftest

script=${SWG_SELFTEST_SCRIPT:-$ROOT/.build-selftest/netns.sh}
which_wg=${SWG_SELFTEST_WG:-swg}
mode=${SWG_SELFTEST_MODE:-full}
limit=${SWG_SELFTEST_TIMEOUT:-2400}

if [[ ! -s $script && -z ${SWG_SELFTEST_SCRIPT:-} && -f /usr/src/linux-source-6.12.tar.xz ]]; then
  # The setup did not run on the host: extract it here (slower under TCG, same script).
  script=$(mktemp -d)/netns.sh
  tar -xJf /usr/src/linux-source-6.12.tar.xz -O --wildcards '*/tools/testing/selftests/wireguard/netns.sh' >"$script" 2>/dev/null
  echo "selftest: extracted netns.sh in the guest (run scripts/selftest-setup.sh on the host to skip this)"
fi
if [[ ! -s $script ]]; then
  fail "netns.sh present" "$script missing: run scripts/selftest-setup.sh on the host first"
  summary
  exit 1
fi
for tool in ping ping6 iperf3 ncat ss iptables; do
  command -v "$tool" >/dev/null || fail "tool $tool" "not installed: run scripts/selftest-setup.sh"
done

# Failures that are not wg(8)'s, as "COMMAND TEXT<TAB>reason"; matched against the
# failing command that the ERR trap logs ($BASH_COMMAND, which is the text as written in
# netns.sh with its variables unexpanded), so line numbers of a future netns.sh don't
# matter. Keep the evidence in the reason.
known_failures=(
)

# shellcheck disable=SC2016 # expanded inside netns.sh, not here
trap_line='__swg_err() { case ${FUNCNAME[1]:-main} in main|tests|configure_peers) echo "SELFTEST-ERR $1" >&3 ;; esac; }; set -E; trap '"'"'__swg_err "$LINENO"'"'"' ERR'

is_known() {
  local cmd=$1 entry
  for entry in "${known_failures[@]}"; do
    [[ $cmd == "${entry%%$'\t'*}" ]] && return 0
  done
  return 1
}

run_selftest() {
  local impl=$1 bindir log patched rc t0 t1 line cmd n_fail=0 n_known=0
  bindir=$(mktemp -d)
  log=$(mktemp)
  patched=$(mktemp --suffix=.sh)
  case $impl in
    swg)
      [[ -x $SWG ]] || { fail "$impl: swg binary" "$SWG missing"; return; }
      ln -s "$SWG" "$bindir/wg" ;;
    wg)
      ln -s "$(command -v wg)" "$bindir/wg" ;;
  esac
  # Replace `set -e` by a logging ERR trap, on the same line so line numbers stay
  # netns.sh's. errtrace makes it fire inside `tests` and `configure_peers` too; failures
  # inside the one-line wrappers (n1, ip1, pp, ...) are logged once, where they are called.
  # It writes to fd 3, which netns.sh points at its stdout.
  awk -v repl="$trap_line" '$0 == "set -e" { print repl; next } { print }' "$script" >"$patched"
  if [[ $mode == reduced ]]; then
    # The iperf3 runs are throughput tests of the kernel's data path, at 3 s each and
    # slow under TCG; they do not touch wg(8). Each `tests` call keeps its pings.
    sed -i -e 's/^\tn[12] iperf3 .*$/\t:/' -e 's/^\t\tn[12] iperf3 .*$/\t\t:/' \
      -e 's/^\twaitiperf .*$/\t:/' -e 's/^\t\tpids+=( \$! ); waitiperf .*$/\t\t:/' "$patched"
  fi
  grep -q '^__swg_err() ' "$patched" || { fail "$impl: patch netns.sh" "no 'set -e' line found"; return; }
  local resolved
  resolved=$(PATH="$bindir:$PATH" command -v wg)
  [[ $(readlink -f "$resolved") == "$(readlink -f "${impl/#swg/$SWG}")" || $impl == wg ]] &&
    pass "$impl: wg on PATH is $(readlink -f "$resolved")" || fail "$impl: wg on PATH" "$resolved"
  t0=$(date +%s)
  PATH="$bindir:$PATH" timeout "$limit" bash "$patched" >"$log" 2>&1
  rc=$?
  t1=$(date +%s)
  echo "selftest $impl ($mode): netns.sh exit $rc after $((t1 - t0)) s; $(grep -c '\[+\]' "$log") steps"
  # The trap logs line numbers; the command is that line of netns.sh ($BASH_COMMAND would
  # name the last command run inside a wrapper function, not the failing call).
  while IFS= read -r n; do
    cmd=$(sed -n "${n}p" "$patched" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    if is_known "$cmd"; then
      n_known=$((n_known + 1))
      echo "  known: line $n: $cmd"
    else
      n_fail=$((n_fail + 1))
      fail "$impl: line $n" "$cmd"
    fi
  done < <(sed -n 's/^SELFTEST-ERR \([0-9]*\)$/\1/p' "$log")
  if grep -aq 'Objects that were created were also destroyed' "$log"; then
    pass "$impl: netns.sh ran to its end ($n_known known failures)"
  else
    fail "$impl: netns.sh ran to its end" "exit $rc; last steps:"
    grep -a '\[+\]' "$log" | tail -n 5 | sed 's/^/    /'
  fi
  ((n_fail == 0)) && pass "$impl: no unexpected failures"
  if ((n_fail > 0)) || [[ ${SWG_SELFTEST_VERBOSE:-0} == 1 ]]; then
    echo "  --- last 40 lines of output:"
    tail -n 40 "$log" | sed 's/^/    /'
  fi
  rm -rf "$bindir" "$log" "$patched"
}

case $which_wg in
  both) run_selftest wg; run_selftest swg ;;
  *) run_selftest "$which_wg" ;;
esac
summary

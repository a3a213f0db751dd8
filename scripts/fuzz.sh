#!/usr/bin/env bash
# Builds swg's libFuzzer targets (FuzzTesting/) and runs them.
#   scripts/fuzz.sh all 60              every target for 60 s each, one after another
#   scripts/fuzz.sh FuzzUAPIGet 600     one target for 10 minutes
#   scripts/fuzz.sh list                the target names
#   scripts/fuzz.sh build               build only
#   scripts/fuzz.sh replay              run FailCases/ and Corpus/ through every target once
# Each run starts from the committed seeds (FuzzTesting/Corpus/TARGET) plus what earlier
# runs on this machine found (.build-fuzz/corpus/TARGET), uses FuzzTesting/Dictionaries/
# TARGET.dict, and saves crashers to .build-fuzz/crashes/TARGET/. A crasher worth keeping
# goes into FuzzTesting/FailCases/TARGET/, where `swift test` (BadInputTests) replays it.
# Prints one line per target, "fuzz TARGET: N execs in S s (R/s), ..., 0 crashes";
# exits 1 if any target crashed or failed to build.
# Environment: FUZZ_NICE (default 19), FUZZ_CONFIG (release|debug, default release),
# FUZZ_ARGS (more libFuzzer flags, e.g. "-jobs=2 -workers=2").
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pkg=$root/FuzzTesting
scratch=$root/.build-fuzz
config=${FUZZ_CONFIG:-release}
nice_level=${FUZZ_NICE:-19}

targets() {
  local d
  for d in "$pkg"/Sources/Fuzz*/; do
    d=${d%/}
    [[ -f $d/main.swift ]] && basename "$d"
  done
}

build() {
  # -parse-as-library: main.swift holds no top-level code, only the libFuzzer entry.
  # Swift's own backtracer would hold the crash pipe open; libFuzzer reports instead.
  (cd "$pkg" && nice -n "$nice_level" swift build -c "$config" --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library "$@" 2>&1) |
    grep -v 'ld.gold: warning: Cannot export local symbol' | tail -n 30
  return "${PIPESTATUS[0]}"
}

bin_dir() { echo "$scratch/$config"; }

run_one() {
  local t=$1 seconds=$2 bin log corpus crashes seeds dict execs secs rate cov units ncrash rc
  bin=$(bin_dir)/$t
  [[ -x $bin ]] || { echo "fuzz $t: not built"; return 1; }
  corpus=$scratch/corpus/$t
  crashes=$scratch/crashes/$t
  seeds=$pkg/Corpus/$t
  dict=$pkg/Dictionaries/$t.dict
  mkdir -p "$corpus" "$crashes" "$seeds"
  log=$scratch/logs/$t.log
  mkdir -p "$(dirname "$log")"
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384
    -print_final_stats=1 -artifact_prefix="$crashes/" -reload=0)
  [[ -f $dict ]] && args+=(-dict="$dict")
  # shellcheck disable=SC2206 # FUZZ_ARGS is a list of flags
  args+=(${FUZZ_ARGS:-})
  # Parsers resolve endpoint names: run without a network (loopback only, down) so no
  # lookup can leave the machine.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1:quarantine_size_mb=16:max_malloc_fill_size=0} \
    nice -n "$nice_level" timeout --kill-after=30 $((seconds + 120)) \
    unshare --net "$bin" "${args[@]}" "$corpus" "$seeds" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  [[ -n $execs ]] || execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
  units=$(find "$corpus" -type f | wc -l)
  ncrash=$(grep -cE '^==[0-9]+== ERROR: libFuzzer|^SUMMARY: (AddressSanitizer|libFuzzer)|deadly signal' "$log")
  rate=$(( ${secs:-0} > 0 ? ${execs:-0} / secs : 0 ))
  echo "fuzz $t: ${execs:-0} execs in ${secs:-?} s (${rate}/s), ${cov:-cov: ?}, corpus $units, exit $rc, $((ncrash > 0 ? 1 : 0)) crashes"
  if ((rc != 0)); then
    echo "  log: $log"
    grep -E 'property failed|Fatal error|ERROR: AddressSanitizer|deadly signal|Test unit written|SUMMARY' "$log" | head -n 10 | sed 's/^/    /'
    return 1
  fi
}

replay() {
  local t bin dirs status=0 d
  for t in $(targets); do
    bin=$(bin_dir)/$t
    [[ -x $bin ]] || { echo "replay $t: not built"; status=1; continue; }
    dirs=()
    for d in "$pkg/FailCases/$t" "$pkg/Corpus/$t"; do
      [[ -d $d ]] && [[ -n $(ls -A "$d") ]] && dirs+=("$d")
    done
    ((${#dirs[@]})) || continue
    if SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 unshare --net "$bin" -runs=0 "${dirs[@]}" >/dev/null 2>&1; then
      echo "replay $t: ok ($(find "${dirs[@]}" -type f | wc -l) inputs)"
    else
      echo "replay $t: FAILED"; status=1
    fi
  done
  return $status
}

unshare --net true 2>/dev/null || { echo "fuzz.sh: needs unshare --net (root): the parsers resolve names" >&2; exit 1; }
cmd=${1:-}
case $cmd in
  list) targets ;;
  build) status=0; for t in $(targets); do build --product "$t" >/dev/null || { echo "fuzz: $t does not build"; status=1; }; done; exit $status ;;
  replay) for t in $(targets); do build --product "$t" >/dev/null; done; replay ;;
  "" | -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 1 ;;
  *)
    seconds=${2:-60}
    [[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS must be a number" >&2; exit 1; }
    if [[ $cmd == all ]]; then list=$(targets); else list=$cmd; fi
    for t in $list; do
      [[ -f $pkg/Sources/$t/main.swift ]] || { echo "fuzz.sh: no target $t (try: scripts/fuzz.sh list)" >&2; exit 1; }
    done
    start=$(date +%s)
    status=0
    built=()
    for t in $list; do
      if out=$(build --product "$t"); then built+=("$t"); else
        echo "fuzz $t: build failed"; printf '%s\n' "$out" | grep -E 'error:' | head -n 5 | sed 's/^/    /'; status=1
      fi
    done
    echo "fuzz: built in $(( $(date +%s) - start )) s"
    for t in "${built[@]}"; do run_one "$t" "$seconds" || status=1; done
    echo "fuzz: $(( $(date +%s) - start )) s wall in all"
    exit $status
    ;;
esac

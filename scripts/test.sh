#!/usr/bin/env bash
# The whole test run: installs what it needs, builds, runs the Swift unit tests, the
# userspace suites (wireguard-go in network namespaces) and the kernel suites (in a VM).
# Prints one "N passed, N failed" line per stage and exits non-zero if any stage failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export ROOT=$PWD
bash scripts/install-deps.sh all
status=0
stage() { echo; echo "=== $1 ($(date +%T))"; }

stage "build"
swift build 2>&1 | tail -n 3 || exit 1
[[ -x .build/debug/swg ]] || { echo "build failed"; exit 1; }

stage "unit tests (swift test)"
swift test 2>&1 | tee /tmp/swg-unit.log | grep -E '^(✘|Test run|.*error:)|failed|passed after' | tail -n 40
grep -q 'Test run with .* passed' /tmp/swg-unit.log || status=1

stage "userspace suites"
Tests/Integration/uapi/run.sh || status=1

if [[ ${SWG_SKIP_FUZZ:-0} != 1 ]]; then
  stage "fuzzing (${SWG_FUZZ_SECONDS:-20} s per target)"
  FUZZ_NICE=0 scripts/fuzz.sh all "${SWG_FUZZ_SECONDS:-20}" >/tmp/swg-fuzz.log 2>&1 || status=1
  grep -E '^fuzz |crash|error:' /tmp/swg-fuzz.log | tail -n 20
fi

if [[ ${SWG_SKIP_VM:-0} != 1 ]]; then
  stage "kernel suites (VM)"
  scripts/selftest-setup.sh >/dev/null || status=1
  Tests/Integration/vm/run.sh || status=1
fi

stage "done"
exit $status

#!/usr/bin/env bash
# Release build of swg and swg-quick (what `make release`, `make install` and the
# benchmarks use): optimised, Swift standard library linked statically, and libstdc++
# (which the Swift runtime needs) linked statically too when its archive is installed.
# A dynamic libstdc++ costs ~1,600 symbol look-ups at every process start: 2.9M of the
# 3.1M instructions `swg genkey` ran before; 1.1M with the archive. Position-independent
# (ASLR) as before.
#   scripts/build-release.sh [SCRATCH_PATH] [swift build arguments...]
# SCRATCH_PATH defaults to .build-release; prints the directory holding the binaries.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=${1:-$root/.build-release}
shift || true
[[ $scratch = /* ]] || scratch=$root/$scratch
flags=(-c release --static-swift-stdlib --scratch-path "$scratch")
# swiftc's static-stdlib link line says -lstdc++; a directory early on the search path
# whose libstdc++.so is the archive makes the linker take the archive instead.
archive=$(c++ -print-file-name=libstdc++.a 2>/dev/null || g++ -print-file-name=libstdc++.a 2>/dev/null || true)
if [[ $archive = /* && -f $archive ]]; then
  mkdir -p "$scratch/static-libstdcxx"
  ln -sfn "$archive" "$scratch/static-libstdcxx/libstdc++.so"
  flags+=(-Xlinker -L"$scratch/static-libstdcxx")
else
  echo "build-release: no libstdc++.a found; libstdc++ stays dynamic (slower start-up)" >&2
fi
cd "$root"
swift build "${flags[@]}" "$@" >&2
swift build "${flags[@]}" "$@" --show-bin-path

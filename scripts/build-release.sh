#!/usr/bin/env bash
# Release build of swg and swg-quick (what `make release`, `make install` and the
# benchmarks use): optimised, Swift standard library linked statically, and libstdc++
# (which the Swift runtime needs) linked statically too when its archive is installed.
# A dynamic libstdc++ costs ~1,600 symbol look-ups at every process start: 2.9M of the
# 3.1M instructions `swg genkey` ran before; 1.1M with the archive. Still position-
# independent (ASLR), but linked by lld with packed relative relocations (DT_RELR, glibc
# 2.36+): the loader applies ~22,000 of them from a 4 KB bitmap instead of one by one
# (0.9M instructions per start).
#   scripts/build-release.sh [SCRATCH_PATH] [swift build arguments...]
# SCRATCH_PATH defaults to .build-release; prints the directory holding the binaries.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# An argument starting with `-` is a swift build argument, not the scratch path.
if [[ $# -gt 0 && $1 != -* ]]; then
  scratch=$1
  shift
else
  scratch=$root/.build-release
fi
[[ $scratch = /* ]] || scratch=$root/$scratch
# No $ORIGIN run path: nothing is loaded from beside the binary (the Swift libraries are
# linked in), and the loader stops probing $ORIGIN/glibc-hwcaps/... for every library.
flags=(-c release --static-swift-stdlib --disable-local-rpath --scratch-path "$scratch")
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
# lld ships with the Swift toolchain; DT_RELR needs glibc 2.36 at run time.
if [[ -x $(dirname "$(command -v swiftc)")/ld.lld ]] &&
  [[ $(ldd --version 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+$') > 2.35 ]]; then
  flags+=(-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
fi
cd "$root"
swift build "${flags[@]}" "$@" >&2
swift build "${flags[@]}" "$@" --show-bin-path

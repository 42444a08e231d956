#!/usr/bin/env bash
# README command (2): installs dependencies, builds from scratch and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh release
(cd build/release && ctest -j2 --output-on-failure --timeout 900)

# Fuzz smoke: libFuzzer targets for the .pg/.gq parsers and the index-segment decoders, built
# with clang + ASan in a separate tree (only the libraries the fuzzers link are compiled), each
# run for a fixed number of iterations (parsers seeded with the shared fixtures). A crash fails CI.
CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DOMNIGRAPH_BUILD_FUZZERS=ON -DOMNIGRAPH_BUILD_TESTS=OFF >/dev/null
cmake --build build/fuzz -j "${JOBS:-$(nproc)}" --target fuzzers
(cd build/fuzz && ctest -L fuzz --output-on-failure)

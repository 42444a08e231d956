#!/usr/bin/env bash
# README command (2): installs dependencies, builds from scratch and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh release
cd build/release
ctest -j2 --output-on-failure --timeout 900

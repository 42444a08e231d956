#!/usr/bin/env bash
# README command (1): installs dependencies, builds, and runs the main job on the
# embedded default (a local directory). Today that is the CLI's version and usage;
# the graph demo arrives with the engine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/build.sh release
bin=build/release/omnigraph
"$bin" version
echo
"$bin" --help

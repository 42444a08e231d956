#!/usr/bin/env bash
# Configures and builds into build/<type> (default: release).
# Usage: scripts/build.sh [release|debug|asan]   (env: JOBS, OMNIGRAPH_WERROR=ON)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
case "$kind" in
  release) flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  debug) flags=(-DCMAKE_BUILD_TYPE=Debug) ;;
  asan) flags=(-DCMAKE_BUILD_TYPE=Debug -DOMNIGRAPH_SANITIZE=ON) ;;
  *) echo "usage: $0 [release|debug|asan]" >&2; exit 2 ;;
esac
werror="${OMNIGRAPH_WERROR:-OFF}"
if [[ "${CI:-}" == "true" ]]; then werror=ON; fi
cmake -S . -B "build/$kind" -G Ninja "${flags[@]}" -DOMNIGRAPH_WERROR="$werror" \
  ${OMNIGRAPH_CMAKE_ARGS:-} >/dev/null
cmake --build "build/$kind" -j "${JOBS:-$(nproc)}"

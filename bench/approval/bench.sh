#!/usr/bin/env bash
# Approval benchmarks: durable decisions per second and one user's inbox among 1,000,000
# documents. Usage: bench/approval/bench.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
cmake --build "$build" --target bench_approval >/dev/null
out=$here/../out/approval
mkdir -p "$out"
"$build/bench/bench_approval" "$out" "${DOCUMENTS:-1000000}" "${DECISIONS:-4000}"
rm -rf "$out"

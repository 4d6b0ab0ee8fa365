#!/usr/bin/env bash
# The yearly KPI report over 1,000,000 runs and 100,000 documents, in every format (issue 8:
# under 2 s each). Usage: bench/report/run.sh [BUILD_DIR] [HOME]
#   HOME (default /var/tmp/jimu-bench-report/home) is seeded once by seed.py with the real jimu
#   binary and kept: later runs, and the web dashboard's benchmark, reuse it. Delete it to reseed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
jimu=$(cd "$build" && pwd)/cli/jimu
home=${2:-/var/tmp/jimu-bench-report/home}
out=$here/../out/report
mkdir -p "$out"
if [ ! -f "$home/jimu.db" ]; then
  /usr/bin/python3 "$here/seed.py" "$jimu" "$home"
fi
export JIMU_HOME=$home
for f in text json csv html xlsx; do "$jimu" report kpi --fy 2025 --format $f --out "$out/kpi.$f" 2>/dev/null; done
hyperfine --warmup 1 --runs 10 --export-json "$out/report.json" \
  -n text "$jimu report kpi --fy 2025 --format text --out $out/kpi.text" \
  -n json "$jimu report kpi --fy 2025 --format json --out $out/kpi.json" \
  -n csv "$jimu report kpi --fy 2025 --format csv --out $out/kpi.csv" \
  -n html "$jimu report kpi --fy 2025 --format html --out $out/kpi.html" \
  -n xlsx "$jimu report kpi --fy 2025 --format xlsx --out $out/kpi.xlsx" 2>&1 |
  grep -E "Time|±|Benchmark" || true
/usr/bin/python3 - "$out/report.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:5} mean {r['mean']:.2f} s  min {r['min']:.2f} s  "
          f"user+sys {r['user'] + r['system']:.2f} s  (target < 2 s)")
PY

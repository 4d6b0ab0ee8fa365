#!/usr/bin/env bash
# Runs jimu's benchmarks and prints their figures (bench/README.md keeps the latest, with this
# command). Usage: bench/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
jimu=$(cd "$build" && pwd)/cli/jimu
out=$here/out
mkdir -p "$out"
export JIMU_HOME=$out/home
rm -rf "$JIMU_HOME"

echo "== foundation: jimu run of a trivial workflow, process start to exit =="
"$jimu" run "$here/foundation/trivial.lua" --quiet >/dev/null   # creates the store
hyperfine --warmup 5 --runs 50 --export-json "$out/startup.json" \
  "$jimu run $here/foundation/trivial.lua --quiet" \
  "lua5.4 -e 'local x = 1'" \
  "/usr/bin/python3 -c 'pass'" 2>&1 | grep -E "Time|±|Benchmark" || true
/usr/bin/python3 - "$out/startup.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
jimu = r[0]["mean"] * 1000
print(f"jimu run (trivial): {jimu:.1f} ms mean, {r[0]['min']*1000:.1f} ms min")
for x in r[1:]:
    print(f"  vs {x['command']}: {x['mean']*1000:.1f} ms (jimu is {jimu/(x['mean']*1000):.2f}x)")
PY

echo "== foundation: 1,000,000 ctx:processed calls in one run =="
"$jimu" run "$here/foundation/counting.lua" --quiet --format json >"$out/counting.json"
id=$(/usr/bin/python3 -c "import json; print(json.load(open('$out/counting.json'))['run_id'])")
"$jimu" show "$id" --format json | /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print(j['log'][0]['message']); print('items recorded:', j['items'])"

# Each area with its own benchmark script (bench/AREA/run.sh BUILD_DIR).
for extra in "$here"/*/run.sh; do
  [ -x "$extra" ] || continue
  echo "== $(basename "$(dirname "$extra")") =="
  "$extra" "$build"
done
exit 0

#!/bin/bash
# CSV read benchmark: jimu.csv.rows against Python's csv module on the same CP932 file.
#
#   bench/csv/run.sh [BUILD_DIR] [N]      (defaults: build, 1000000)
#
# Generates an N-row, 12-column CP932 CSV of Japanese records (gen_cp932_csv.py) once into
# $JIMU_BENCH_DIR (default /tmp/jimu-bench-csv), then times, each best of 3 runs:
#   jimu keyed : for row in jimu.csv.rows(path, { header = true }) do ctx:processed(1) end
#   jimu arrays: the same with header = false
#   python     : /usr/bin/python3, csv.reader over open(path, encoding="cp932", newline="")
# and prints wall time, peak RSS (/usr/bin/time) and the ratio python / jimu.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
[[ "$build" = /* ]] || build="$root/$build"
n=${2:-1000000}
work=${JIMU_BENCH_DIR:-/tmp/jimu-bench-csv}
jimu="$build/cli/jimu"
[ -x "$jimu" ] || { echo "no $jimu: build first (cmake --build $build --target jimu)" >&2; exit 1; }
mkdir -p "$work"
data="$work/data-$n.csv"
if [ ! -s "$data" ]; then
  echo "generating $n rows into $data ..."
  /usr/bin/python3 "$here/gen_cp932_csv.py" "$n" "$data"
fi
cp "$here/read_rows.lua" "$work/read_rows.lua"
echo "file: $data ($(stat -c %s "$data") bytes, $((n + 1)) lines with the header)"

# best of 3: prints "SECONDS PEAK_KB"
best() {
  local best_t="" best_m=""
  for _ in 1 2 3; do
    local out
    /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$work/time.out")
    local t=${out% *} m=${out#* }
    if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  echo "$best_t $best_m"
}

home="$work/home"
read -r jk_t jk_m < <(best "$jimu" run "$work/read_rows.lua" --home "$home" \
  --param input="$(basename "$data")" --param header=yes)
read -r ja_t ja_m < <(best "$jimu" run "$work/read_rows.lua" --home "$home" \
  --param input="$(basename "$data")" --param header=no)
read -r py_t py_m < <(best /usr/bin/python3 -c '
import csv, sys
with open(sys.argv[1], encoding="cp932", newline="") as f:
    n = sum(1 for _ in csv.reader(f))
print(n)' "$data")
# the row count jimu recorded, as a check that it read everything
"$jimu" history --home "$home" 2>/dev/null | head -4 || true

printf '%-28s %8s %10s %8s\n' "reader ($n rows)" "seconds" "peak RSS" "py/x"
printf '%-28s %8s %7s MB %8s\n' "jimu.csv.rows header=true" "$jk_t" "$((jk_m / 1024))" \
  "$(awk "BEGIN{printf \"%.1f\", $py_t / $jk_t}")"
printf '%-28s %8s %7s MB %8s\n' "jimu.csv.rows arrays" "$ja_t" "$((ja_m / 1024))" \
  "$(awk "BEGIN{printf \"%.1f\", $py_t / $ja_t}")"
printf '%-28s %8s %7s MB %8s\n' "python3 csv (cp932)" "$py_t" "$((py_m / 1024))" "1.0"

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
#   core       : bench/csv_read_core, the C++ reader alone (the floor under jimu.csv.rows)
# and prints wall and CPU time, peak RSS (/usr/bin/time) and the ratio of Python's CPU time.
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

# best of 3 by CPU time: prints "WALL_SECONDS CPU_SECONDS PEAK_KB". CPU time (user + sys) is the
# figure to compare on a shared machine; wall time is shown beside it.
best() {
  local best_w="" best_c="" best_m=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.out" "$@" >/dev/null 2>&1 || true
    local w u s m
    read -r w u s m < <(tail -1 "$work/time.out")
    local c
    c=$(awk "BEGIN{printf \"%.2f\", $u + $s}")
    if [ -z "$best_c" ] || awk "BEGIN{exit !($c < $best_c)}"; then
      best_w=$w; best_c=$c; best_m=$m
    fi
  done
  echo "$best_w $best_c $best_m"
}

home="$work/home"
input=$(basename "$data")
read -r jk_w jk_c jk_m < <(best "$jimu" run "$work/read_rows.lua" --home "$home" \
  --param input="$input" --param header=yes)
read -r ja_w ja_c ja_m < <(best "$jimu" run "$work/read_rows.lua" --home "$home" \
  --param input="$input" --param header=no)
read -r py_w py_c py_m < <(best /usr/bin/python3 -c '
import csv, sys
with open(sys.argv[1], encoding="cp932", newline="") as f:
    n = sum(1 for _ in csv.reader(f))
print(n)' "$data")
core=""
if [ -x "$build/bench/csv_read_core" ]; then
  read -r co_w co_c co_m < <(best "$build/bench/csv_read_core" "$data")
  core=1
fi
# Check that jimu counted every row (the last run's items).
"$jimu" run "$work/read_rows.lua" --home "$home" --param input="$input" --param header=no 2>/dev/null |
  grep -o "[0-9]* items" | head -1 | sed "s/^/jimu counted (header=false, so the header row too): /"

ratio() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }
printf '%-30s %8s %8s %10s %10s\n' "reader ($n rows)" "wall s" "CPU s" "peak RSS" "py CPU/x"
printf '%-30s %8s %8s %7s MB %10s\n' "jimu.csv.rows header=true" "$jk_w" "$jk_c" \
  "$((jk_m / 1024))" "$(ratio "$py_c" "$jk_c")"
printf '%-30s %8s %8s %7s MB %10s\n' "jimu.csv.rows arrays" "$ja_w" "$ja_c" "$((ja_m / 1024))" \
  "$(ratio "$py_c" "$ja_c")"
[ -n "$core" ] && printf '%-30s %8s %8s %7s MB %10s\n' "CsvReader alone (C++, no Lua)" \
  "$co_w" "$co_c" "$((co_m / 1024))" "$(ratio "$py_c" "$co_c")"
printf '%-30s %8s %8s %7s MB %10s\n' "python3 csv (cp932)" "$py_w" "$py_c" "$((py_m / 1024))" "1.00"

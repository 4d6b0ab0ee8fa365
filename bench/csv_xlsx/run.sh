#!/bin/bash
# CSV to Excel benchmark (issue 3): an N-row, 12-column CP932 CSV of Japanese records (quoted
# commas and line breaks, ①㈱髙～, half-width kana) converted to .xlsx by
#   jimu : convert.lua run by `jimu run` (jimu.csv.rows + jimu.xlsx, constant memory)
#   C    : convert_c, iconv + a hand-written RFC 4180 parser + libxlsxwriter (constant memory)
#   xlsxwriter : /usr/bin/python3, csv + xlsxwriter (constant memory)
#   openpyxl   : /usr/bin/python3, csv + openpyxl (write-only)
# then checks that the four files hold the same values (openpyxl, first and last 2,000 rows), and
# prints wall time, CPU time (user + sys) and peak RSS (/usr/bin/time), with ratios.
#
# usage: bench/csv_xlsx/run.sh [BUILD_DIR] [N ...]     (default: build 100000 1000000)
#        REPEAT=3 keeps the best of 3 for jimu and C; SKIP_OPENPYXL=1 skips the slowest.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${1:-build}; [[ "$BUILD" = /* ]] || BUILD=$ROOT/$BUILD
shift || true
SIZES=("$@"); [ ${#SIZES[@]} -eq 0 ] && SIZES=(100000 1000000)
JIMU=$BUILD/cli/jimu
CPROG=$BUILD/bench/csv_xlsx_c
PY=/usr/bin/python3
REPEAT=${REPEAT:-1}
DATA=${JIMU_BENCH_DIR:-/tmp/jimu-bench-csv}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jimu-bench-csv-xlsx-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
[ -x "$JIMU" ] && [ -x "$CPROG" ] || { echo "build jimu and csv_xlsx_c first" >&2; exit 1; }
mkdir -p "$DATA"

measure() {  # measure CMD...: prints "wall_s cpu_s maxrss_kb"
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >"$WORK/cmd.log" 2>&1 || { cat "$WORK/cmd.log" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/time.txt"
}
best() {  # best of REPEAT by wall time
  local b="" r
  for _ in $(seq "$REPEAT"); do
    r=$(measure "$@")
    if [ -z "$b" ] || awk -v a="${r%% *}" -v c="${b%% *}" 'BEGIN{exit !(a < c)}'; then b=$r; fi
  done
  echo "$b"
}

export JIMU_HOME=$WORK/home
mkdir -p "$JIMU_HOME"
printf '[files]\nread = %s\n' "$DATA" >"$JIMU_HOME/jimu.conf"
cp "$HERE/convert.lua" "$WORK/convert.lua"

for n in "${SIZES[@]}"; do
  csv=$DATA/data-$n.csv
  [ -s "$csv" ] || $PY "$ROOT/bench/csv/gen_cp932_csv.py" "$n" "$csv"
  echo "== N = $n rows ($(stat -c %s "$csv") bytes of CP932)"
  j=$(best "$JIMU" run "$WORK/convert.lua" --quiet --param input="$csv" --param output="jimu-$n.xlsx")
  jfile=$(ls -d "$JIMU_HOME"/runs/*/out/jimu-"$n".xlsx | tail -n 1)
  c=$(best "$CPROG" "$csv" "$WORK/c-$n.xlsx" "$WORK")
  x=$(measure "$PY" "$HERE/convert_xlsxwriter.py" "$csv" "$WORK/xw-$n.xlsx")
  if [ -z "${SKIP_OPENPYXL:-}" ]; then o=$(measure "$PY" "$HERE/convert_openpyxl.py" "$csv" "$WORK/op-$n.xlsx"); fi
  $PY - "$jfile" "$WORK/c-$n.xlsx" "$WORK/xw-$n.xlsx" ${o:+"$WORK/op-$n.xlsx"} <<'PYCHECK'
import sys
from itertools import islice
from openpyxl import load_workbook
def sample(path):
    ws = load_workbook(path, read_only=True).active
    # An empty string cell and no cell read the same to a user; libxlsxwriter stores a carriage
    # return as OOXML's _x000D_ escape, which Excel decodes and openpyxl's read-only mode does not.
    norm = lambda v: None if v == "" else v.replace("_x000D_", "\r") if isinstance(v, str) else v
    rows = [tuple(norm(c.value) for c in r) for r in ws.iter_rows()]
    return len(rows), rows[:2000], rows[-2000:]
ref = sample(sys.argv[1])
for other in sys.argv[2:]:
    if sample(other) != ref: sys.exit(f"{other} differs from jimu's output")
print(f"same values in all {len(sys.argv) - 1} files ({ref[0]} rows)")
PYCHECK
  printf "%-28s %8s %8s %10s %12s %12s\n" "" "wall s" "CPU s" "peak RSS" "wall / C" "CPU / C"
  row() {
    read -r w cpu rss <<<"$2"; read -r cw ccpu _ <<<"$c"
    printf "%-28s %8s %8s %7d MB %11.2fx %11.2fx\n" "$1" "$w" "$cpu" $((rss / 1024)) \
      "$(echo "$w / $cw" | bc -l)" "$(echo "$cpu / $ccpu" | bc -l)"
  }
  row "jimu (Lua workflow)" "$j"
  row "C: iconv + libxlsxwriter" "$c"
  row "python csv + xlsxwriter" "$x"
  [ -n "${o:-}" ] && row "python csv + openpyxl" "$o"
  unset o
done

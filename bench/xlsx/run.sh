#!/bin/bash
# Excel benchmark: writing N rows x 12 columns (Japanese strings, numbers, dates, booleans) with
# jimu (a Lua workflow run by `jimu run`), a plain C program on libxlsxwriter, Python xlsxwriter
# (constant memory) and openpyxl (write-only); then reading jimu's file back with jimu and with
# openpyxl (read-only). Wall time and peak RSS from /usr/bin/time, ratios against the C program
# (writing) and against jimu (reading).
#
# usage: bench/xlsx/run.sh BUILD_DIR [N ...]     (default N: 100000 1000000)
#        SKIP_PYTHON=1 to time only jimu and C; REPEAT=3 to keep the best of 3 for jimu and C.
set -euo pipefail
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [N ...]}" && pwd)
shift
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100000 1000000)
HERE=$(cd "$(dirname "$0")" && pwd)
JIMU=$BUILD/cli/jimu
CPROG=$BUILD/bench/xlsx_write_c
PY=/usr/bin/python3
REPEAT=${REPEAT:-1}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jimu-bench-xlsx-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
[ -x "$JIMU" ] && [ -x "$CPROG" ] || { echo "build jimu and xlsx_write_c first" >&2; exit 1; }

# measure NAME CMD...: runs CMD under /usr/bin/time; prints "seconds maxrss_kb"
measure() {
  local out=$WORK/time.txt
  /usr/bin/time -f "%e %M" -o "$out" "$@" > "$WORK/cmd.log" 2>&1 || { cat "$WORK/cmd.log" >&2; exit 1; }
  cat "$out"
}
best() {  # best of REPEAT runs (lowest time; its RSS)
  local bt="" br=""
  for _ in $(seq "$REPEAT"); do
    read -r t r < <(measure "$@")
    if [ -z "$bt" ] || awk "BEGIN{exit !($t < $bt)}"; then bt=$t; br=$r; fi
  done
  echo "$bt $br"
}
row() { printf "| %-32s | %9s | %8.2f s | %7.1f MB | %6.2fx |\n" "$1" "$2" "$3" "$(awk "BEGIN{print $4/1024}")" "$5"; }

echo "| program | rows | time | peak RSS | ratio |"
echo "|---|---:|---:|---:|---:|"
for N in "${SIZES[@]}"; do
  mkdir -p "$WORK/tmp" "$WORK/read"
  read -r ct cr < <(best "$CPROG" "$WORK/c.xlsx" "$N" "$WORK/tmp")
  rm -rf "$WORK/home"
  read -r jt jr < <(best "$JIMU" run "$HERE/write.lua" --home "$WORK/home" --param rows="$N")
  row "C + libxlsxwriter (baseline)" "$N" "$ct" "$cr" 1
  row "jimu run write.lua" "$N" "$jt" "$jr" "$(awk "BEGIN{print $jt/$ct}")"
  if [ -z "${SKIP_PYTHON:-}" ]; then
    read -r xt xr < <(measure env PYTHONPATH="$HERE" "$PY" "$HERE/write_xlsxwriter.py" "$WORK/x.xlsx" "$N" "$WORK/tmp")
    row "python xlsxwriter constant_memory" "$N" "$xt" "$xr" "$(awk "BEGIN{print $xt/$ct}")"
    read -r ot or < <(measure env PYTHONPATH="$HERE" "$PY" "$HERE/write_openpyxl.py" "$WORK/o.xlsx" "$N")
    row "python openpyxl write_only" "$N" "$ot" "$or" "$(awk "BEGIN{print $ot/$ct}")"
  fi
  # Reading jimu's file back.
  cp "$(ls -t "$WORK"/home/runs/*/out/bench.xlsx | head -1)" "$WORK/read/bench.xlsx"
  cp "$HERE/read.lua" "$WORK/read/read.lua"
  rm -rf "$WORK/home"
  read -r rt rr < <(best "$JIMU" run "$WORK/read/read.lua" --home "$WORK/home")
  row "jimu run read.lua (reading)" "$N" "$rt" "$rr" 1
  if [ -z "${SKIP_PYTHON:-}" ]; then
    read -r pt pr < <(measure "$PY" "$HERE/read_openpyxl.py" "$WORK/read/bench.xlsx")
    row "python openpyxl read_only" "$N" "$pt" "$pr" "$(awk "BEGIN{print $pt/$rt}")"
  fi
  rm -rf "$WORK/home" "$WORK"/*.xlsx "$WORK/read" "$WORK/tmp"
done

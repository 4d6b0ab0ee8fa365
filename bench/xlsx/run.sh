#!/bin/bash
# Excel benchmark: writing N rows x 12 columns (Japanese strings, numbers, dates, booleans) with
# jimu (a Lua workflow run by `jimu run`), a plain C program on libxlsxwriter, Python xlsxwriter
# (constant memory) and openpyxl (write-only); then reading jimu's file back with jimu and with
# openpyxl (read-only). Wall time and peak RSS from /usr/bin/time, ratios against the C program
# (writing) and against jimu (reading), both for wall time and for CPU time (user + sys: less
# disturbed when other work shares the machine).
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

# measure CMD...: runs CMD under /usr/bin/time; prints "wall_s cpu_s maxrss_kb" (cpu = user + sys)
measure() {
  local out=$WORK/time.txt
  /usr/bin/time -f "%e %U %S %M" -o "$out" "$@" > "$WORK/cmd.log" 2>&1 || { cat "$WORK/cmd.log" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$out"
}
best() {  # best of REPEAT runs (lowest CPU time; its wall time and RSS)
  local bw="" bc="" br=""
  for _ in $(seq "$REPEAT"); do
    read -r w c r < <(measure "$@")
    if [ -z "$bc" ] || awk "BEGIN{exit !($c < $bc)}"; then bw=$w; bc=$c; br=$r; fi
  done
  echo "$bw $bc $br"
}
# row LABEL N WALL CPU RSS_KB BASE_WALL BASE_CPU
row() {
  printf "| %-33s | %9s | %8.2f s | %8.2f s | %7.1f MB | %6.2fx | %6.2fx |\n" "$1" "$2" "$3" "$4" \
    "$(awk "BEGIN{print $5/1024}")" "$(awk "BEGIN{print $3/$6}")" "$(awk "BEGIN{print $4/$7}")"
}

echo "| program | rows | wall | CPU (user+sys) | peak RSS | wall ratio | CPU ratio |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for N in "${SIZES[@]}"; do
  mkdir -p "$WORK/tmp" "$WORK/read"
  # C and jimu alternate, so a change in the machine's load hits both alike.
  cw=""; cc=""; cr=""; jw=""; jc=""; jr=""
  for _ in $(seq "$REPEAT"); do
    read -r w c r < <(measure "$CPROG" "$WORK/c.xlsx" "$N" "$WORK/tmp")
    if [ -z "$cc" ] || awk "BEGIN{exit !($c < $cc)}"; then cw=$w; cc=$c; cr=$r; fi
    rm -rf "$WORK/home"
    read -r w c r < <(measure "$JIMU" run "$HERE/write.lua" --home "$WORK/home" --param rows="$N")
    if [ -z "$jc" ] || awk "BEGIN{exit !($c < $jc)}"; then jw=$w; jc=$c; jr=$r; fi
  done
  row "C + libxlsxwriter (baseline)" "$N" "$cw" "$cc" "$cr" "$cw" "$cc"
  row "jimu run write.lua" "$N" "$jw" "$jc" "$jr" "$cw" "$cc"
  if [ -z "${SKIP_PYTHON:-}" ]; then
    read -r w c r < <(measure env PYTHONPATH="$HERE" "$PY" "$HERE/write_xlsxwriter.py" "$WORK/x.xlsx" "$N" "$WORK/tmp")
    row "python xlsxwriter constant_memory" "$N" "$w" "$c" "$r" "$cw" "$cc"
    read -r w c r < <(measure env PYTHONPATH="$HERE" "$PY" "$HERE/write_openpyxl.py" "$WORK/o.xlsx" "$N")
    row "python openpyxl write_only" "$N" "$w" "$c" "$r" "$cw" "$cc"
  fi
  # Reading jimu's file back.
  cp "$(ls -t "$WORK"/home/runs/*/out/bench.xlsx | head -1)" "$WORK/read/bench.xlsx"
  cp "$HERE/read.lua" "$WORK/read/read.lua"
  rm -rf "$WORK/home"
  read -r rw rc rr < <(best "$JIMU" run "$WORK/read/read.lua" --home "$WORK/home")
  row "jimu run read.lua (reading)" "$N" "$rw" "$rc" "$rr" "$rw" "$rc"
  if [ -z "${SKIP_PYTHON:-}" ]; then
    read -r w c r < <(measure "$PY" "$HERE/read_openpyxl.py" "$WORK/read/bench.xlsx")
    row "python openpyxl read_only (reading)" "$N" "$w" "$c" "$r" "$rw" "$rc"
  fi
  rm -rf "$WORK/home" "$WORK"/*.xlsx "$WORK/read" "$WORK/tmp"
done

#!/bin/bash
# The XML benchmark (bench/README.md, section "XML"). Run from the repository root after
# building (cmake --build build --target jimu xml_route_pugixml):
#   bench/xml/run.sh [BUILD_DIR]
# Generates the 100k and 500k-document exports once (bench/xml/data/, ignored by git), then runs
# each variant 3 times and prints the best wall time, the CPU time (user + sys) of that run and
# the peak RSS (GNU time's %M). On a shared machine the CPU time is the steadier figure.
set -euo pipefail
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
HOME_DIR=$(mktemp -d)
trap 'rm -rf "$HOME_DIR"' EXIT
mkdir -p "$HERE/data"
for n in 100k 500k; do
  count=${n%k}000
  [ -f "$HERE/data/export-$n.xml" ] || /usr/bin/python3 "$HERE/gen_export.py" "$count" "$HERE/data/export-$n.xml"
done

measure() {  # label, command...
  local label=$1; shift
  local best="" cpu="" rss=""
  for _ in 1 2 3; do
    local out t c m
    out=$( { /usr/bin/time -f "TIME %e %U %S %M" "$@" >/dev/null; } 2>&1 | grep '^TIME' )
    t=$(echo "$out" | awk '{print $2}')
    c=$(echo "$out" | awk '{printf "%.2f", $3 + $4}')
    m=$(echo "$out" | awk '{print $5}')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; cpu=$c; fi
    rss=$m
  done
  printf '%-40s wall %7s s  cpu %7s s  peak RSS %9s KB\n' "$label" "$best" "$cpu" "$rss"
}

for n in 100k 500k; do
  f="$HERE/data/export-$n.xml"
  echo "== $n documents ($(du -m "$f" | cut -f1) MB)"
  measure "(b) C++ pugixml DOM + traversal" "$BUILD/bench/xml_route_pugixml" "$f"
  measure "(a) jimu each, flat records" "$BUILD/cli/jimu" run "$HERE/route_stream_flat.lua" --home "$HOME_DIR" --param "input=data/export-$n.xml"
  measure "(a) jimu each, node tables" "$BUILD/cli/jimu" run "$HERE/route_stream.lua" --home "$HOME_DIR" --param "input=data/export-$n.xml"
  measure "(c) jimu load + select (XPath)" "$BUILD/cli/jimu" run "$HERE/route_dom.lua" --home "$HOME_DIR" --param "input=data/export-$n.xml"
done

#!/usr/bin/env bash
# The web dashboard over 1,000,000 runs and 100,000 documents (issue 8: under 200 ms): the seeded
# store of bench/report (seeded there if missing), `jimu web` on loopback, a manager logged in
# with curl, then GET /dashboard timed by curl (time to the last byte), 20 times after 2 warm-ups;
# against GET /runs (the newest 100 runs) and the login page as floors.
# Usage: bench/web/run.sh [BUILD_DIR] [HOME]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
jimu=$build/cli/jimu
home=${2:-/var/tmp/jimu-bench-report/home}
out=$here/../out/web
mkdir -p "$out"
[ -f "$home/jimu.db" ] || /usr/bin/python3 "$here/../report/seed.py" "$jimu" "$home"
export JIMU_HOME=$home
"$jimu" user add bench.manager --role manager --password-stdin <<<'bench-pass-1' >/dev/null 2>&1 || true
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$jimu" web --listen "127.0.0.1:$port" >"$out/web.log" 2>&1 &
web=$!
trap 'kill $web 2>/dev/null' EXIT
until grep -q serving "$out/web.log"; do sleep 0.05; done
jar=$out/cookies
rm -f "$jar"
token=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "user=bench.manager" \
  --data-urlencode "password=bench-pass-1" --data-urlencode "csrf=$token" "http://127.0.0.1:$port/login"
time_page() {  # time_page PATH: 2 warm-ups, then 20 timed; prints median and max in ms
  for _ in 1 2; do curl -s -o /dev/null -b "$jar" "http://127.0.0.1:$port$1"; done
  for _ in $(seq 1 20); do curl -s -o /dev/null -b "$jar" -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$port$1"; done |
    /usr/bin/python3 -c "
import sys
rows = [l.split() for l in sys.stdin]
codes = {r[0] for r in rows}
t = sorted(float(r[1]) * 1000 for r in rows)
print(f'GET $1: median {t[len(t)//2]:.1f} ms, max {t[-1]:.1f} ms (HTTP {\",\".join(sorted(codes))})')"
}
time_page "/dashboard?fy=2025"
time_page "/runs"
time_page "/login"

#!/usr/bin/env bash
# The scheduler (issue 6): 10,000 schedules loaded and every next fire computed (jimu's daemon
# reload against Debian's python3-croniter computing bare cron next times), the idle daemon's CPU
# with 10,000 schedules, and how soon a due run starts (a cron fire, a run-now).
# Usage: bench/scheduler/run.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
jimu=$build/cli/jimu
out=$here/../out/scheduler
rm -rf "$out"; mkdir -p "$out"
cleanup() { [ -n "${SERVE:-}" ] && kill -9 "$SERVE" 2>/dev/null; true; }
trap cleanup EXIT

echo "-- next fires of 10,000 schedules --"
"$build/bench/bench_scheduler" "$out/next.db" 10000 --crons "$out/crons.txt" | tee "$out/next.json"
if /usr/bin/python3 -c 'import croniter' 2>/dev/null; then
  /usr/bin/python3 "$here/croniter_next.py" "$out/crons.txt" | tee "$out/croniter.json"
else
  echo "(python3-croniter not installed: apt-get install python3-croniter for the baseline)"
fi

echo "-- the idle daemon with 10,000 schedules (none due), 60 s --"
export JIMU_HOME=$out/idle
"$jimu" runs >/dev/null
"$build/bench/bench_scheduler" "$JIMU_HOME/jimu.db" 10000 --far >/dev/null
t0=$(date +%s.%N)
"$jimu" serve >"$out/idle.log" 2>&1 &
SERVE=$!
until grep -q "ready:" "$out/idle.log"; do sleep 0.01; done
t1=$(date +%s.%N)
echo "start to ready with 10,000 schedules: $(awk "BEGIN {printf \"%d\", ($t1 - $t0) * 1000}") ms"
sleep 3
ticks() { awk '{print $14 + $15}' "/proc/$SERVE/stat"; }
hz=$(getconf CLK_TCK)
a=$(ticks); sleep 60; b=$(ticks)
echo "idle CPU over 60 s: $(( (b - a) * 1000 / hz )) ms (clock ticks of ${hz} Hz)"
echo "wake-ups: $(grep -c . "$out/idle.log") log lines; RSS $(awk '/VmRSS/ {print $2, $3}' "/proc/$SERVE/status")"
kill -TERM "$SERVE"; wait "$SERVE" || true; SERVE=

echo "-- how soon a due run starts --"
export JIMU_HOME=$out/due
"$jimu" runs >/dev/null
cat >"$out/tick.lua" <<'LUA'
return jimu.workflow { id = "tick", name = "tick", run = function(ctx) ctx:processed(1) end }
LUA
"$jimu" schedule add "$out/tick.lua" --cron '* * * * *' --calendar every-day 2>/dev/null >/dev/null
"$jimu" serve >"$out/due.log" 2>&1 &
SERVE=$!
until grep -q "ready:" "$out/due.log"; do sleep 0.01; done
for i in 1 2 3 4 5; do
  before=$(date +%s%3N)
  "$jimu" schedule run-now tick >/dev/null 2>&1
  sleep 0.5
  echo "run-now $i: command start to run start $(( $(sqlite3 "$JIMU_HOME/jimu.db" "SELECT MAX(started_at) FROM runs WHERE trigger_kind = 'manual'") - before )) ms"
done
echo "waiting for 3 cron fires (up to 3 minutes)..."
until [ "$(sqlite3 "$JIMU_HOME/jimu.db" "SELECT COUNT(*) FROM runs WHERE trigger_kind = 'schedule'")" -ge 3 ]; do sleep 1; done
sqlite3 "$JIMU_HOME/jimu.db" "SELECT started_at % 60000 FROM runs WHERE trigger_kind = 'schedule' ORDER BY id LIMIT 3" |
  while read -r ms; do echo "cron fire: started ${ms} ms after its minute"; done
kill -TERM "$SERVE"; wait "$SERVE" || true; SERVE=

#!/usr/bin/env bash
# Several jimu serve nodes on one PostgreSQL (issue 7): how fast the nodes together claim and
# start runs, and how late runs start after their due time at that load.
# For 1, 2 and 3 nodes (each a home whose [store] url is the same fresh database; max_runs 6
# across the nodes, poll 1s), FIRES schedules of a trivial workflow (overlap: no limit) are made
# to fire at the same minute; the nodes are running and idle when the minute comes. Figures,
# from the store: runs started per second (first to last start), and the scheduling delay
# runs.started_at - jobs.due_at (median, 95th percentile, max).
# PostgreSQL runs with its durable defaults (fsync, synchronous_commit), as in bench/store.
# Usage: bench/nodes/run.sh [BUILD_DIR] [FIRES]   (default: build, 500; as root PostgreSQL runs
# as the postgres user). Takes about a minute per node count (it waits for a minute's start).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
fires=${2:-500}
jimu=$build/cli/jimu
pg=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/jimu-bench-nodes-XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; chmod 755 "$work"; as=(runuser -u postgres --); fi
"${as[@]}" "$pg/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as[@]}" "$pg/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "${as[@]}" "$pg/pg_ctl" -D "$work/data" -m fast stop >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
printf 'return jimu.workflow { id = "trivial", name = "trivial",\n  run = function(ctx) ctx:processed(1) end }\n' >"$work/trivial.lua"

echo "nodes  fires  runs/s  delay median  p95      max      (max_runs 6 across the nodes)"
for nodes in 1 2 3; do
  db=b$nodes
  "$pg/createdb" -h 127.0.0.1 -p "$port" -U postgres "$db"
  q() { "$pg/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" -c "$1"; }
  for n in $(seq 1 "$nodes"); do
    home=$work/$db-node$n
    JIMU_HOME=$home "$jimu" nodes >/dev/null
    rm -f "$home"/jimu.db*
    sed -i "s|^url =\$|url = postgresql://postgres@127.0.0.1:$port/$db|; s/^max_runs = 4/max_runs = 6/;
            s/^poll = 30s/poll = 1s/; s/^lease = 30s/lease = 10s/; s/^; node = node1/node = node$n/" \
      "$home/jimu.conf"
  done
  JIMU_HOME=$work/$db-node1 "$jimu" schedule add "$work/trivial.lua" --name seed --cron '0 2 1 1 *' \
    --calendar every-day --overlap 0 >/dev/null 2>&1
  pids=()
  for n in $(seq 1 "$nodes"); do
    JIMU_HOME=$work/$db-node$n "$jimu" serve --no-web >"$work/$db-node$n.log" 2>&1 &
    pids+=($!)
  done
  # The schedules appear at second 50 and fire at the next minute's start.
  sec=$(date +%-S)
  if [ "$sec" -gt 50 ]; then sleep $((110 - sec)); else sleep $((50 - sec)); fi
  fire=$(/usr/bin/python3 -c '
import time
now = time.time(); m = int(now) - int(now) % 60 + 60
t = time.gmtime(m + 9 * 3600)
print(f"{t.tm_min} {t.tm_hour} {t.tm_mday} {t.tm_mon} *|{int(now * 1000)}")')
  cron=${fire%|*}
  now_ms=${fire#*|}
  q "BEGIN;
    INSERT INTO schedules (id, workflow_id, workflow_path, kind, cron, calendar, on_holiday,
      business_day, missed, folder, pattern, stable_s, poll_s, overlap, params, owner,
      retry_attempts, retry_backoff_s, timeout_s, enabled, checked_through, created_by,
      created_at, updated_at)
    SELECT 'f' || lpad(g::text, 5, '0'), workflow_id, workflow_path, kind, '$cron', calendar,
      on_holiday, business_day, missed, folder, pattern, stable_s, poll_s, 0, params, owner,
      retry_attempts, retry_backoff_s, timeout_s, enabled, $now_ms, created_by, $now_ms, $now_ms
    FROM schedules s, generate_series(1, $fires) g WHERE s.id = 'seed';
    DELETE FROM schedules WHERE id = 'seed';
    COMMIT;"
  for _ in $(seq 1 600); do
    [ "$(q "SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'")" = "$fires" ] && break
    sleep 0.5
  done
  q "SELECT '$nodes      $fires    ' ||
       round((COUNT(*) - 1) * 1000.0 / NULLIF(MAX(r.started_at) - MIN(r.started_at), 0), 1) || '    ' ||
       percentile_disc(0.5) WITHIN GROUP (ORDER BY r.started_at - j.due_at) || ' ms       ' ||
       percentile_disc(0.95) WITHIN GROUP (ORDER BY r.started_at - j.due_at) || ' ms  ' ||
       MAX(r.started_at - j.due_at) || ' ms  (first start ' || MIN(r.started_at - j.due_at) ||
       ' ms; runs per node: ' || (SELECT string_agg(node || '=' || c, ' ' ORDER BY node)
         FROM (SELECT node, COUNT(*) c FROM jobs GROUP BY node) x) || ')'
     FROM jobs j JOIN runs r ON r.id = j.run_id WHERE j.state = 'succeeded'"
  for p in "${pids[@]}"; do kill -TERM "$p"; done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
done

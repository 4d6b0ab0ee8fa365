#!/usr/bin/env bash
# Runs recorded per second (begin_run + finish_run) on SQLite and on a local PostgreSQL 15, both
# with durable commits (SQLite synchronous=FULL; PostgreSQL's defaults: fsync, synchronous_commit).
# Usage: bench/store/run.sh [BUILD_DIR]   (as root it runs PostgreSQL as the postgres user)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
bin=$build/bench/store_bench
pg=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/jimu-bench-store-XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; chmod 755 "$work"; as=(runuser -u postgres --); fi
"${as[@]}" "$pg/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as[@]}" "$pg/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
trap '"${as[@]}" "$pg/pg_ctl" -D "$work/data" -m fast stop >/dev/null; rm -rf "$work"' EXIT
for writers in 1 2 4; do
  "$pg/createdb" -h 127.0.0.1 -p "$port" -U postgres "b$writers"
  rm -f "$work/b$writers.db"*
  "$bin" "sqlite:$work/b$writers.db" 2000 "$writers"
  "$bin" "postgresql://postgres@127.0.0.1:$port/b$writers" 2000 "$writers"
done

# Shared helpers for the end-to-end tests: each test script sources this, gets a fresh JIMU_HOME
# and work folder, and calls the real jimu binary ($JIMU, set by ctest).
set -uo pipefail
: "${JIMU:?set JIMU to the jimu binary}"
: "${JIMU_SOURCE_DIR:?set JIMU_SOURCE_DIR to the source tree}"
WORK=$(mktemp -d /tmp/jimu-e2e-XXXXXX)
export JIMU_HOME=$WORK/home
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { PASSES=$((PASSES + 1)); }

# run_jimu ARGS...: runs jimu, capturing stdout in $OUT, stderr in $ERR and the status in $CODE.
run_jimu() {
  OUT=$("$JIMU" "$@" 2>"$WORK/stderr"); CODE=$?
  ERR=$(cat "$WORK/stderr")
}

expect_code() { [ "$CODE" = "$1" ] && pass || fail "$2: exit $CODE, expected $1 (stderr: $ERR)"; }
expect_out() { case "$OUT" in *"$1"*) pass ;; *) fail "$2: stdout lacks '$1': $OUT" ;; esac; }
expect_err() { case "$ERR" in *"$1"*) pass ;; *) fail "$2: stderr lacks '$1': $ERR" ;; esac; }
expect_eq() { [ "$1" = "$2" ] && pass || fail "$3: got '$1', expected '$2'"; }

# json_get EXPR: evaluates a Python expression on the JSON in $OUT (bound to j).
json_get() { /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print($1)" <<<"$OUT"; }

workflow() {  # workflow NAME BODY: writes $WORK/NAME.lua
  mkdir -p "$WORK/wf"
  printf '%s\n' "$2" >"$WORK/wf/$1.lua"
}

finish() {
  echo "$PASSES passed, $FAILURES failed"
  [ "$FAILURES" = 0 ]
}

# pg_start: a throwaway PostgreSQL 15 for this test (initdb + pg_ctl under $WORK, loopback, a
# free port; as the postgres user when run as root), stopped when the test ends. Sets PG_PORT and
# PG_URL_BASE (postgresql://postgres@127.0.0.1:PORT); pg_createdb NAME adds a database.
# A missing PostgreSQL fails the test with what to install: never skipped.
PG_BIN=/usr/lib/postgresql/15/bin
pg_start() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "FAIL: PostgreSQL 15 is not installed (no $PG_BIN/initdb): install postgresql and libpq-dev ('make deps')" >&2
    exit 1
  fi
  PG_DIR=$WORK/pg
  mkdir -p "$PG_DIR"
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; chmod 755 "$WORK"; as=(runuser -u postgres --); fi
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --no-sync -E UTF8 \
    --locale=C.UTF-8 >"$PG_DIR/../initdb.log" 2>&1 || { echo "FAIL: initdb" >&2; exit 1; }
  for _ in 1 2 3 4 5; do
    PG_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
      trap '"${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1; rm -rf "$WORK"' EXIT
      PG_AS=("${as[@]}")
      PG_URL_BASE=postgresql://postgres@127.0.0.1:$PG_PORT
      return 0
    fi
  done
  echo "FAIL: PostgreSQL did not start: $(cat "$PG_DIR/server.log")" >&2
  exit 1
}
pg_createdb() { "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres -T template0 -E UTF8 "$1"; }

#!/usr/bin/env bash
# Moving an installation from the embedded SQLite store to PostgreSQL (issue 7): a SQLite home
# with runs, an operation, approvals and their audit trail is migrated; a second home configured
# with the PostgreSQL url shows the same runs, the same documents and an intact chain with the
# same head. Then the PostgreSQL store is used (ids continue), a non-empty target is refused, and
# bad urls / a refused connection / an unknown role fail naming the server.
. "$(dirname "$0")/lib.sh"
pg_start
pg_createdb jimu
pg_createdb other

workflow ok 'return jimu.workflow { id = "ok", name = "点検 ㈱髙島屋", run = function(ctx) ctx:processed(3) end }'
workflow bad 'return jimu.workflow { id = "bad", name = "bad", run = function(ctx) error("～ 〜 ｶﾅ") end }'
run_jimu operations add GYO-1 --name 受付 --division 市民課 --kind rpa --go-live 2026-04-01
for i in 1 2 3; do run_jimu run "$WORK/wf/ok.lua" --quiet; done
run_jimu run "$WORK/wf/bad.lua" --quiet; expect_code 1 "a failed run"
run_jimu approval submit --title 'コピー用紙 ㈱髙島屋' --category 物品購入 --amount 48000 --division 総務課 --as somu.tanto
expect_code 0 "submit"
run_jimu approval approve D-1 --as somu.kakaricho --comment 確認済み; expect_code 0 "approve"
run_jimu runs --format json; sqlite_runs=$OUT
run_jimu approval show D-1 --format json; sqlite_doc=$OUT
run_jimu audit verify; expect_code 0 "sqlite trail"; sqlite_head=${OUT##* head }

run_jimu store info
expect_code 0 "store info (sqlite)"; expect_out "store: sqlite:$JIMU_HOME/jimu.db (sqlite, schema version " "info names the file"
expect_out "runs                     4" "info counts runs"

run_jimu store migrate --from sqlite:jimu.db --to "$PG_URL_BASE/jimu"
expect_code 0 "migrate"; expect_out "copying sqlite:$JIMU_HOME/jimu.db to $PG_URL_BASE/jimu" "migrate names both"
expect_out "  runs                             4         4" "migrate counts runs"
expect_out "audit trail on the target intact: " "migrate verifies the chain"

# A second home on the PostgreSQL store sees the same installation.
SQLITE_HOME=$JIMU_HOME
export JIMU_HOME=$WORK/pghome
mkdir -p "$JIMU_HOME"
printf '[store]\nurl = %s/jimu\n' "$PG_URL_BASE" >"$JIMU_HOME/jimu.conf"
run_jimu store info --format json
expect_code 0 "store info (pg)"
expect_eq "$(json_get 'j["dialect"], j["tables"]["runs"], j["tables"]["audit"] > 8')" "postgresql 4 True" "info json on pg"
run_jimu audit verify; expect_code 0 "pg trail intact"
expect_eq "${OUT##* head }" "$sqlite_head" "the same head hash after the move"
run_jimu runs --format json; expect_eq "$OUT" "$sqlite_runs" "the same runs"
run_jimu approval show D-1 --format json; expect_eq "$OUT" "$sqlite_doc" "the same document"
# The PostgreSQL store carries on: the next run is 5, the next document D-2, the chain extends.
run_jimu run "$WORK/wf/ok.lua" --quiet; expect_code 0 "a run on pg"
run_jimu show 5; expect_code 0 "run 5 exists"; expect_out "succeeded" "run 5 succeeded"
run_jimu approval submit --title 'その2' --category 物品購入 --amount 1000 --division 総務課 --as somu.tanto
expect_out "submitted: D-2 " "next document id"
run_jimu audit verify; expect_code 0 "pg trail intact after more writes"

# Into a non-empty database: refused, nothing changed.
export JIMU_HOME=$SQLITE_HOME
run_jimu store migrate --from sqlite:jimu.db --to "$PG_URL_BASE/jimu"
expect_code 2 "non-empty target"; expect_err "the target store is not empty (" "non-empty named"
expect_err "migrate only into a new, empty database" "non-empty advice"

# Clear errors, non-zero exits.
run_jimu store migrate --from sqlite:jimu.db --to "postgresql://jimu:pw@127.0.0.1:$PG_PORT/other"
expect_code 2 "password in url"; expect_err "carries a password" "password refused"
closed=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run_jimu store migrate --from sqlite:jimu.db --to "postgresql://jimu@127.0.0.1:$closed/other"
expect_code 1 "refused"; expect_err "cannot connect to PostgreSQL at 127.0.0.1:$closed/other as jimu: " "refused names host and port"
export JIMU_HOME=$WORK/badhome
mkdir -p "$JIMU_HOME"
printf '[store]\nurl = postgresql://nobody@127.0.0.1:%s/jimu\n' "$PG_PORT" >"$JIMU_HOME/jimu.conf"
run_jimu runs
expect_code 1 "unknown role"; expect_err "cannot connect to PostgreSQL at 127.0.0.1:$PG_PORT/jimu as nobody: FATAL:  role \"nobody\" does not exist" "auth failure named"
printf '[store]\nurl = mysql://x@y/z\n' >"$JIMU_HOME/jimu.conf"
run_jimu runs
expect_code 2 "bad url"; expect_err "jimu.conf:2: store url 'mysql://x@y/z' is not like postgresql://USER@HOST:PORT/DATABASE" "bad url named with its line"
finish

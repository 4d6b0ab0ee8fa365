#!/usr/bin/env bash
# The registry of operations and the KPI report, through the CLI.
. "$(dirname "$0")/lib.sh"

run_jimu operations add GYO-012 --name 口座振替結果点検 --division 税務課 --kind rpa --go-live 2026-04-01 --minutes 3
expect_code 0 "operations add"; expect_out "registered GYO-012 口座振替結果点検 (税務課, rpa)" "add message"
run_jimu operations add GYO-012 --name x --division x --kind rpa --go-live 2026-04-01
expect_code 2 "duplicate"; expect_err "operation GYO-012 is already registered" "duplicate message"
run_jimu operations add GYO-013 --name x --division x --kind robot --go-live 2026-04-01
expect_code 2 "bad kind"; expect_err "--kind must be rpa, ai or other_ict, not 'robot'" "bad kind"
run_jimu operations add GYO-013 --name x --division x --kind ai
expect_code 2 "missing go-live"; expect_err "--go-live is required" "missing go-live"
run_jimu operations add GYO-014 --name 文書照会 --division 総務課 --kind ai --go-live 2026-02-30
expect_code 2 "bad date"; expect_err "go-live date '2026-02-30' is not a date like 2026-04-01" "bad date"
run_jimu operations add M-001 --name 電子申請 --division 企画課 --kind other_ict --go-live 2025-10-01 --manual
expect_code 0 "manual operation"
run_jimu operations list --format json
expect_eq "$(json_get '[o["id"] for o in j], j[1]["manual"]')" "['GYO-012', 'M-001'] True" "operations list json"

workflow debit 'return jimu.workflow { id = "debit-check", name = "口座振替結果点検", operation = "GYO-012",
  run = function(ctx) ctx:processed(40) end }'
workflow unregistered 'return jimu.workflow { id = "x", name = "x", operation = "GYO-999",
  run = function() end }'
run_jimu run "$WORK/wf/unregistered.lua"
expect_code 2 "an unregistered operation"; expect_err "operation 'GYO-999' is not registered" "unregistered"

run_jimu run "$WORK/wf/debit.lua"; expect_code 0 "counted run"
run_jimu run "$WORK/wf/debit.lua" --dry-run; expect_code 0 "dry run"
fy=$(/usr/bin/python3 -c "import datetime as d; t=d.datetime.utcnow()+d.timedelta(hours=9); print(t.year if t.month>=4 else t.year-1)")

cat >>"$JIMU_HOME/jimu.conf" <<'CONF'
[kpi]
operations.baseline = 0
operations.target = 10
CONF
run_jimu report kpi --fy "$fy" --format json
expect_code 0 "report json"
expect_eq "$(json_get 'j["operations"]["counted"], j["operations"]["by_kind"], j["operations"]["baseline"], j["operations"]["target"]')" \
  "2 {'rpa': 1, 'ai': 0, 'other_ict': 1} 0 10" "kpi operations with targets"
expect_eq "$(json_get 'j["runs"]["total"], j["items"], j["hours_saved"]')" "1 40 2" "kpi runs exclude the dry run"
run_jimu report kpi --fy "$fy"
expect_out "対象業務数 (operations counted)   2  (基準 0 → 目標 10)" "kpi text"
run_jimu report kpi --fy "$fy" --format csv --out "$WORK/kpi.csv"
expect_code 0 "kpi csv"
head -c 3 "$WORK/kpi.csv" | od -An -tx1 | grep -q "ef bb bf" && pass || fail "kpi csv starts with a BOM"
grep -q "^summary,$fy,operations_counted,2,0,10" "$WORK/kpi.csv" && pass || fail "kpi csv row"
run_jimu report kpi --fy 20x6; expect_code 2 "bad --fy"; expect_err "--fy expects a fiscal year like 2026, not '20x6'" "bad fy"
run_jimu report kpi --format pdf; expect_code 2 "bad format"; expect_err "unknown format 'pdf' (choose text, json, csv, xlsx, html)" "bad format"

run_jimu operations retire GYO-012 --date 2025-01-01
expect_code 2 "retire before go-live"; expect_err "retired date 2025-01-01 is before its go-live date 2026-04-01" "retire early"
run_jimu operations retire GYO-012 --date 2031-03-31; expect_code 0 "retire"
run_jimu operations retire GYO-012; expect_code 2 "retire twice"; expect_err "already retired (since 2031-03-31)" "retire twice"

printf '[kpi]\nkinds = rpa, robots\n' >"$JIMU_HOME/jimu.conf"
run_jimu report kpi; expect_code 1 "bad kinds"; expect_err "jimu.conf:2: unknown kind 'robots' (rpa, ai, other_ict)" "bad kinds"
finish

#!/usr/bin/env bash
# The audit trail through the CLI: verify, export, and tampering with the SQLite file by hand.
. "$(dirname "$0")/lib.sh"

workflow ok 'return jimu.workflow { id = "ok", name = "ok", run = function(ctx) ctx:processed(1) end }'
run_jimu operations add GYO-1 --name 受付 --division 市民課 --kind rpa --go-live 2026-04-01
for i in 1 2 3; do run_jimu run "$WORK/wf/ok.lua" --quiet; done
run_jimu audit verify
expect_code 0 "intact trail"; expect_out "audit trail intact: 7 entries, head " "verify text"
run_jimu audit verify --format json
expect_eq "$(json_get 'j["ok"], j["entries"], len(j["head_hash"])')" "True 7 64" "verify json"
run_jimu audit export --out "$WORK/trail.jsonl"
expect_code 0 "export"; expect_err "exported 7 entries" "export message"
expect_eq "$(wc -l <"$WORK/trail.jsonl")" "7" "export lines"
expect_eq "$(/usr/bin/python3 -c "
import json; lines=[json.loads(l) for l in open('$WORK/trail.jsonl')]
print(lines[0]['action'], lines[0]['actor'] != '', lines[1]['prev_hash'] == lines[0]['hash'], lines[2]['detail']['status'])")" \
  "operation.add True True succeeded" "export content"

# Someone edits a run's end entry with the sqlite3 command line.
sqlite3 "$JIMU_HOME/jimu.db" "DROP TRIGGER audit_no_update; UPDATE audit SET detail = '{\"items\":900}' WHERE seq = 5;"
run_jimu audit verify
expect_code 1 "tampered trail"; expect_out "audit trail BROKEN: 1 problem(s) in 7 entries" "tampered summary"
expect_out "entry 5 (run.end run:2) does not match its hash (edited)" "tampered entry named"
finish

#!/usr/bin/env bash
# A run killed with SIGKILL mid-way shows as interrupted the next time jimu opens the store, is never
# counted, and leaves the audit trail intact. SIGTERM is a clean cancel, recorded as failed.
. "$(dirname "$0")/lib.sh"

run_jimu operations add GYO-1 --name 受付 --division 市民課 --kind rpa --go-live 2020-04-01
workflow spin 'return jimu.workflow { id = "spin", name = "長時間処理", operation = "GYO-1",
  run = function(ctx)
    while true do ctx:processed(1) end
  end }'

wait_running() {  # waits until a run is recorded as running
  for _ in $(seq 1 100); do
    "$JIMU" runs --status running --format json 2>/dev/null | grep -q '"status":"running"' && return 0
    sleep 0.1
  done
  return 1
}

"$JIMU" run "$WORK/wf/spin.lua" --quiet >/dev/null 2>&1 &
pid=$!
wait_running && pass || fail "the run never showed as running"
sleep 2.5   # past one heartbeat, so items were recorded
kill -9 $pid; wait $pid 2>/dev/null
run_jimu runs --format json
expect_eq "$(json_get 'j[0]["status"], j[0]["items"] > 0, "ended before the run finished" in j[0]["error"]')" \
  "interrupted True True" "a killed run is interrupted"
fy=$(/usr/bin/python3 -c "import datetime as d; t=d.datetime.utcnow()+d.timedelta(hours=9); print(t.year if t.month>=4 else t.year-1)")
run_jimu report kpi --fy "$fy" --format json
expect_eq "$(json_get 'j["operations"]["counted"], j["runs"]["interrupted"], j["items"]')" "0 1 0" "an interrupted run never counts"
run_jimu audit verify --format json
expect_eq "$(json_get 'j["ok"], j["entries"]')" "True 3" "trail intact with run.interrupted"
run_jimu audit export
expect_out '"action":"run.interrupted","subject":"run:1"' "interruption audited"

# SIGTERM: the run is stopped cleanly and recorded as failed with the reason.
"$JIMU" run "$WORK/wf/spin.lua" --quiet >"$WORK/out2" 2>&1 &
pid=$!
wait_running && pass || fail "second run never showed as running"
kill -TERM $pid; wait $pid; code=$?
expect_eq "$code" "1" "SIGTERM makes the run fail with exit 1"
run_jimu show 2 --format json
expect_eq "$(json_get 'j["status"], j["error"]')" "failed run stopped: cancelled by SIGTERM" "SIGTERM recorded"
finish

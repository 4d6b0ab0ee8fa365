#!/usr/bin/env bash
# jimu serve as a process, in real time: a cron fire starts within a second of its minute, run-now
# starts at once, a second daemon is refused, files that arrive are run once, a failure is retried
# and then mailed to the owner, SIGTERM lets a run finish within the grace period and interrupts
# what is left, and SIGKILL of the daemon loses nothing and runs nothing twice.
. "$(dirname "$0")/lib.sh"

"$JIMU" version >/dev/null && "$JIMU" runs >/dev/null  # writes the default jimu.conf
conf=$JIMU_HOME/jimu.conf
sed -i 's/^grace = 5m/grace = 3s/; s/^lease = 30s/lease = 3s/; s/^poll = 30s/poll = 2s/' "$conf"

SMTP_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/maildir/tmp" "$WORK/maildir/new" "$WORK/maildir/cur"
/usr/bin/python3 "$JIMU_SOURCE_DIR/tests/support/smtp_server.py" --port "$SMTP_PORT" --maildir "$WORK/maildir" >"$WORK/smtp.log" 2>&1 &
SMTP_PID=$!
WEB_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/^listen = 127.0.0.1:8470/listen = 127.0.0.1:$WEB_PORT/" "$conf"
cat >>"$conf" <<CONF
[serve]
mail_account = notice
[mail.notice]
host = 127.0.0.1
port = $SMTP_PORT
security = none
from = jimu <jimu@example.lg.jp>
CONF

SERVE_PID=
cleanup() {
  [ -n "$SERVE_PID" ] && kill -9 "$SERVE_PID" 2>/dev/null
  pkill -9 -f "jimu-e2e.*/home --quiet" 2>/dev/null
  kill "$SMTP_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

start_serve() {
  "$JIMU" serve >>"$WORK/serve.log" 2>&1 &
  SERVE_PID=$!
  wait_for "ready: pid $SERVE_PID" "$WORK/serve.log" 50 || fail "jimu serve did not start: $(cat "$WORK/serve.log")"
}
wait_for() {  # wait_for TEXT FILE TENTHS
  for _ in $(seq 1 "$3"); do grep -qF "$1" "$2" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
job_state() {  # job_state ID -> state
  "$JIMU" runs --last-night --format json 2>/dev/null |
    /usr/bin/python3 -c "import json,sys; print([x['state'] for x in json.load(sys.stdin)['jobs'] if x['job']==$1][0])"
}
wait_job() {  # wait_job ID STATE TENTHS
  for _ in $(seq 1 "$3"); do [ "$(job_state "$1")" = "$2" ] && return 0; sleep 0.1; done
  return 1
}

workflow quick 'return jimu.workflow { id = "quick", name = "即時処理", owner = "kakari@example.lg.jp",
  params = { label = "none" },
  run = function(ctx) jimu.log.info("label=" .. ctx.params.label) ctx:processed(2) end }'
workflow slow 'return jimu.workflow { id = "slow", name = "長い処理", retry = { attempts = 1, backoff = "1s" },
  params = { seconds = 3 },
  run = function(ctx)
    local t = os.time()
    while os.time() - t < ctx.params.seconds do ctx:processed(0) end
    ctx:processed(1)
  end }'
workflow broken 'return jimu.workflow { id = "broken", name = "失敗する処理", owner = "髙橋 <kakari@example.lg.jp>",
  retry = { attempts = 1, backoff = "1s" },
  run = function(ctx) error("in/口座.csv:3:7: 金額が不正です") end }'
mkdir -p "$WORK/inbox"
workflow arrivals 'return jimu.workflow { id = "arrivals", name = "到着ファイル処理",
  trigger = { file = { folder = "../inbox", pattern = "*.csv", stable = 1 } },
  run = function(ctx) jimu.log.info("got " .. ctx.file.name .. " " .. ctx.file.size) ctx:processed(1) end }'

# --- schedule commands: mistakes are refused with the reason, nothing stored ---
run_jimu schedule add "$WORK/wf/quick.lua"
expect_code 2 "no schedule"; expect_err "declares no schedule or trigger; give --cron" "no schedule message"
run_jimu schedule add "$WORK/wf/quick.lua" --cron '0 25 * * *'
expect_code 2 "bad cron"; expect_err "hour 25 is out of range 0-23" "bad cron message"
run_jimu schedule add "$WORK/wf/quick.lua" --cron '0 2 * * *' --calendar moon
expect_code 2 "bad calendar"; expect_err "unknown calendar 'moon' (jp-gov, weekdays, every-day)" "calendar message"
run_jimu schedule add "$WORK/wf/quick.lua" --cron '0 2 * * *' --param color=red
expect_code 2 "undeclared param"; expect_err "the workflow declares no parameter 'color'" "param message"
run_jimu schedule list --format json
expect_eq "$OUT" "[]" "nothing stored after the mistakes"

run_jimu schedule add "$WORK/wf/quick.lua" --name every-minute --cron '* * * * *' --calendar every-day --param label=毎分
expect_code 0 "add every minute"
expect_err "no jimu serve is running" "tells that no daemon runs"
run_jimu schedule add "$WORK/wf/quick.lua" --name every-minute --cron '* * * * *'
expect_code 2 "duplicate name"; expect_err "schedule every-minute exists already (use --replace to change it)" "duplicate message"
run_jimu schedule add "$WORK/wf/quick.lua" --name newyear --cron '0 2 1 1 *' --on-holiday next
expect_code 0 "add new year"
run_jimu schedule next --days 366
expect_out "元日: moved to" "the preview says New Year's Day moves"
run_jimu schedule enable nope
expect_code 2 "enable unknown"; expect_err "no schedule named nope" "unknown schedule"
run_jimu schedule remove newyear; expect_code 0 "remove"
run_jimu schedule add "$WORK/wf/slow.lua" --name slow --cron '0 3 * * *'; expect_code 0 "add slow"
run_jimu schedule add "$WORK/wf/slow.lua" --name slow-long --cron '0 3 * * *' --param seconds=10
expect_code 0 "add slow-long"
run_jimu schedule add "$WORK/wf/broken.lua" --name broken --cron '0 4 * * *'; expect_code 0 "add broken"
run_jimu schedule add "$WORK/wf/arrivals.lua"; expect_code 0 "add file trigger"
expect_out "a file matching *.csv arrives in $WORK/inbox" "file trigger summary"

# --- the daemon ---
start_serve
run_jimu serve
expect_code 1 "second daemon"; expect_err "jimu serve is already running for $JIMU_HOME (pid $SERVE_PID): one daemon per store" "second daemon refused"
run_jimu nodes --format json
expect_eq "$(json_get 'j[0]["pid"]')" "$SERVE_PID" "jimu nodes lists the daemon"
# The web pages come with the daemon: the login page, and the schedules page behind it.
grep -qF "web pages at http://127.0.0.1:$WEB_PORT/" "$WORK/serve.log" && pass || fail "no web pages line"
expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$WEB_PORT/login")" "200" "login page served"
expect_eq "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$WEB_PORT/schedules")" \
  "303 http://127.0.0.1:$WEB_PORT/login" "schedules page needs a login"

# run-now starts at once (SIGHUP wakes the daemon).
run_jimu schedule run-now every-minute
job=${OUT#queued as job }
wait_job "$job" succeeded 30 && pass || fail "run-now job $job did not succeed: $(cat "$WORK/serve.log")"

# A file that arrives (written under a temporary name, then renamed) runs once, when complete.
printf 'a,b\n1,2\n' >"$WORK/inbox/受付①.csv.part"
printf 'x\n' >"$WORK/inbox/.hidden.csv"
mv "$WORK/inbox/受付①.csv.part" "$WORK/inbox/受付①.csv"
wait_for "受付①.csv arrived" "$WORK/serve.log" 50 && pass || fail "the arrived file made no job"
for _ in $(seq 1 50); do "$JIMU" runs --workflow arrivals --format json | grep -q succeeded && break; sleep 0.1; done
run_jimu runs --workflow arrivals --format json
expect_eq "$(json_get 'len(j), j[0]["status"], j[0]["trigger"]')" "1 succeeded file" "one file run"
run_jimu show "$(json_get 'j[0]["id"]')"
expect_out "got 受付①.csv 8" "ctx.file reaches the workflow"
sleep 2.5  # several more scans: the same file is not run again
run_jimu runs --workflow arrivals --format json
expect_eq "$(json_get 'len(j)')" "1" "a file is run once"

# A failing workflow: retried once after its backoff, then the owner gets a mail.
run_jimu schedule run-now broken
bjob=${OUT#queued as job }
wait_job "$bjob" failed 80 && pass || fail "broken job never failed for good: $(cat "$WORK/serve.log")"
run_jimu runs --workflow broken --format json
expect_eq "$(json_get 'len(j), j[0]["status"]')" "2 failed" "one retry, then given up"
wait_for "told 髙橋 <kakari@example.lg.jp> by mail" "$WORK/serve.log" 50 && pass || fail "no failure mail: $(cat "$WORK/serve.log")"
subject=$(/usr/bin/python3 - "$WORK/maildir" <<'PY'
import email, email.header, email.policy, glob, sys
for f in glob.glob(sys.argv[1] + "/new/*"):
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    print(m["subject"], "|", m["to"], "|", "金額が不正です" in m.get_body(("plain",)).get_content())
PY
)
case "$subject" in *"【jimu】失敗: broken (run "*"| 髙橋 <kakari@example.lg.jp> | True"*) pass ;; *) fail "failure mail: $subject" ;; esac

# A cron fire starts within a second of its minute.
for _ in $(seq 1 700); do
  "$JIMU" runs --workflow quick --format json | /usr/bin/python3 -c 'import json,sys; sys.exit(0 if any(r["trigger"]=="schedule" for r in json.load(sys.stdin)) else 1)' && break
  sleep 0.1
done
run_jimu runs --workflow quick --format json
delay=$(json_get '[int(r["started_at"][17:19]) for r in j if r["trigger"]=="schedule"][-1]')
[ -n "$delay" ] && [ "$delay" -le 1 ] && pass || fail "the cron fire started $delay s after its minute"

# SIGTERM while a run is going: it may finish within the grace period (3 s).
run_jimu schedule run-now slow
sjob=${OUT#queued as job }
wait_job "$sjob" running 30 || fail "slow job did not start"
sleep 0.5
kill -TERM "$SERVE_PID"; wait "$SERVE_PID"; code=$?
expect_eq "$code" "0" "the daemon stops cleanly on SIGTERM"
expect_eq "$(job_state "$sjob")" "succeeded" "a run shorter than the grace finishes"

# A run longer than the grace period is stopped and recorded as interrupted; its retry runs at
# the next start.
sed -i 's/^grace = 3s/grace = 1s/' "$conf"
start_serve
run_jimu schedule run-now slow
sjob=${OUT#queued as job }
wait_job "$sjob" running 30 || fail "slow job did not start (2)"
kill -TERM "$SERVE_PID"; wait "$SERVE_PID"
run_jimu runs --workflow slow --format json
expect_eq "$(json_get 'j[0]["status"], "grace period of 1s ended" in j[0]["error"]')" "interrupted True" "left-over run interrupted"
expect_eq "$(job_state "$sjob")" "queued" "the interrupted job waits for its retry"
sed -i 's/^grace = 1s/grace = 30s/' "$conf"
start_serve
wait_job "$sjob" succeeded 80 && pass || fail "the retry after restart did not succeed: $(tail -5 "$WORK/serve.log")"

# SIGKILL of the daemon during a run: the run goes on, the next daemon adopts it; one run only.
# (10 s: long enough that the run still goes on when the next daemon starts, sanitizers included.)
run_jimu schedule run-now slow-long
kjob=${OUT#queued as job }
wait_job "$kjob" running 30 || fail "slow job did not start (3)"
kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null
start_serve
expect_eq "$(grep -c "job $kjob: run .* outlived the previous daemon" "$WORK/serve.log")" "1" "the orphaned run is adopted"
wait_job "$kjob" succeeded 160 && pass || fail "the adopted job did not succeed"
run_jimu runs --last-night --format json
expect_eq "$(json_get '[x["run"] is not None for x in j["jobs"] if x["job"]=='"$kjob"'], [x["attempts"] for x in j["jobs"] if x["job"]=='"$kjob"']')" "[True] [1]" "one attempt, not run twice"

# SIGKILL of the daemon and its run together: the run is interrupted, retried once, succeeds.
run_jimu schedule run-now slow
kjob=${OUT#queued as job }
wait_job "$kjob" running 30 || fail "slow job did not start (4)"
pkill -9 -f "run --job $kjob " ; kill -9 "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null
start_serve
wait_job "$kjob" succeeded 100 && pass || fail "the killed job was not retried: $(tail -5 "$WORK/serve.log")"
run_jimu runs --workflow slow --format json
expect_eq "$(json_get '[r["status"] for r in j][:2]')" "['succeeded', 'interrupted']" "interrupted, then one retry"

run_jimu runs --last-night
expect_code 1 "last night had a failure"
expect_out "失敗 failed" "last night lists the failure"
expect_out "gave up after 2 attempts" "and why"
run_jimu audit verify --format json
expect_eq "$(json_get 'j["ok"]')" "True" "the audit trail verifies"
kill -TERM "$SERVE_PID"; wait "$SERVE_PID"
finish

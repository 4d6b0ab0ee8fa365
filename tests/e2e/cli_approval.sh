#!/usr/bin/env bash
# Electronic approval (電子決裁) through the CLI: every process is a restart, so the state lives in
# the store. Refused actions exit 2 with the message and change nothing.
. "$(dirname "$0")/lib.sh"

today=$(/usr/bin/python3 -c "import datetime as d; print((d.datetime.utcnow()+d.timedelta(hours=9)).date())")

run_jimu approval --help; expect_code 0 "approval --help"; expect_out "send-back ID" "usage lists send-back"
run_jimu approval approve --help; expect_code 0 "approve --help"; expect_out "--on-behalf-of USER" "approve help"
run_jimu approval frobnicate; expect_code 2 "unknown subcommand"

# The example rule: a 48,000 yen purchase in 総務課 is decided by the division head (課長専決).
run_jimu approval submit --title 'コピー用紙 ～ 〜 ㈱髙島屋' --category 物品購入 --amount 48000 --division 総務課 --as somu.tanto
expect_code 0 "submit"; expect_out "submitted: D-1 is at step 1 of 2, waiting for somu.kakaricho (due " "submit message"
run_jimu approval submit --title x --category 物品購入 --division 総務課
expect_code 2 "submit without --as"; expect_err "approval submit: --as is required" "missing --as"
run_jimu approval submit --title x --category 物品購入 --amount 12万 --division 総務課 --as a
expect_code 2 "bad amount"; expect_err "--amount expects a whole number of yen (0 or more), not '12万'" "bad amount"
run_jimu approval submit --title x --category 支出 --division 人事課 --as a
expect_code 2 "no route"; expect_err "scripts/approval/default_rules.lua: the rule gives no route for this document: no route is defined for division 人事課" "no route"

run_jimu approval list --as somu.kakaricho --format json
expect_eq "$(json_get '[(i["id"], i["step"], i["action"], i["title"]) for i in j]')" "[('D-1', 1, 'approve', 'コピー用紙 ～ 〜 ㈱髙島屋')]" "inbox json"
run_jimu approval approve D-1 --as somu.kacho
expect_code 2 "out of turn"; expect_err "jimu: document D-1: step 1 is waiting for somu.kakaricho, not somu.kacho" "out of turn"
run_jimu approval approve D-1 --as somu.kakaricho --comment 確認済み
expect_code 0 "approve"; expect_out "approved: D-1 is at step 2 of 2, waiting for somu.kacho" "approve message"
run_jimu approval approve D-1 --as somu.kakaricho
expect_code 2 "twice"; expect_err "document D-1: somu.kakaricho has already approved step 1" "twice"
run_jimu approval list --as somu.kakaricho; expect_out "nothing waits for somu.kakaricho" "empty inbox"

# 代決 for the absent division head, then 後閲.
run_jimu approval approve D-1 --as outsider --on-behalf-of somu.kacho
expect_code 2 "代決 by an outsider"; expect_err "outsider may not decide on behalf of somu.kacho" "outsider"
run_jimu approval approve D-1 --as somu.kakaricho --on-behalf-of somu.kacho --comment 出張中のため代決
expect_code 0 "代決"; expect_out "approved: D-1 is approved" "decided"
run_jimu approval approve D-1 --as somu.kacho
expect_code 2 "finished"; expect_err "document D-1 is already decided (approved)" "finished"
run_jimu approval after-reviews --as somu.kacho --format json
expect_eq "$(json_get '[(r["document"], r["step"], r["decided_by"], r["acknowledged"]) for r in j]')" "[('D-1', 2, 'somu.kakaricho', False)]" "after-reviews"
run_jimu approval acknowledge D-1 --as somu.kacho; expect_code 0 "acknowledge"
run_jimu approval acknowledge D-1 --as somu.kacho; expect_code 2 "acknowledge twice"
expect_err "document D-1: somu.kacho has no after-review (後閲) to acknowledge" "acknowledge twice"
run_jimu approval show D-1
expect_out "somu.kakaricho on behalf of somu.kacho (代決) approve step 2: 出張中のため代決" "show history"
expect_out "step 2: somu.kakaricho decided for somu.kacho (代決)" "show after-review"
run_jimu approval show D-1 --format json
expect_eq "$(json_get 'j["state"], [s["state"] for s in j["steps"]], len(j["history"]), j["after_reviews"][0]["acknowledged"]')" \
  "approved ['approved', 'approved'] 3 True" "show json"
run_jimu approval show D-404; expect_code 2 "show missing"; expect_err "document D-404 does not exist" "show missing"

# A rule of one's own, and a handler workflow run when the route ends.
mkdir -p "$WORK/wf"
cat >"$WORK/wf/rule.lua" <<'LUA'
return function(doc)
  local steps = { { approvers = { "kakari" }, due_days = 1 } }
  if doc.amount >= 1000000 then
    steps[#steps + 1] = { approvers = { "kacho", "hosa", "shunin" }, mode = { quorum = 2 } }
  end
  steps[#steps + 1] = { approvers = { "bucho" }, decides = true }
  return { steps = steps }
end
LUA
workflow handler 'return jimu.workflow { id = "on-decided", name = "決裁後処理",
  params = { document = "", outcome = "" },
  run = function(ctx)
    local st = assert(jimu.approval.status(ctx.params.document))
    jimu.log.info("%s %s %s", ctx.params.document, ctx.params.outcome, st.state)
  end }'
run_jimu approval submit --title 道路補修 --category 契約 --amount 2500000 --division 建設課 --as kensetsu.tanto \
  --rule "$WORK/wf/rule.lua" --handler "$WORK/wf/handler.lua" --id 建設-第7号
expect_code 0 "submit with rule"; expect_out "建設-第7号 is at step 1 of 3" "custom route"
run_jimu approval approve 建設-第7号 --as kakari; expect_code 0 "step 1"
run_jimu approval approve 建設-第7号 --as hosa; expect_code 0 "quorum 1 of 2"
expect_out "at step 2 of 3, waiting for kacho, shunin" "quorum waits"
run_jimu approval reject 建設-第7号 --as kacho
expect_code 2 "reject without comment"; expect_err "approval reject: --comment is required" "reject needs comment"
run_jimu approval send-back 建設-第7号 --as kacho --to 2 --comment x
expect_code 2 "send back to the current step"
expect_err "document 建設-第7号: step 2 can send back only to the drafter or to steps 1 to 1, not to step 2" "send back target"
run_jimu approval send-back 建設-第7号 --as shunin --to drafter --comment 設計書を添付のこと
expect_code 0 "send back"; expect_out "sent back: 建設-第7号 is sent back to its drafter kensetsu.tanto" "sent back"
run_jimu approval list --as kensetsu.tanto; expect_out "sent back: resubmit or withdraw" "drafter inbox"
run_jimu approval resubmit 建設-第7号 --as kensetsu.tanto --comment 添付しました; expect_code 0 "resubmit"
run_jimu approval approve 建設-第7号 --as kakari; expect_code 0 "step 1 again"
run_jimu approval approve 建設-第7号 --as kacho; expect_code 0 "quorum 1"
run_jimu approval approve 建設-第7号 --as shunin; expect_code 0 "quorum 2"
run_jimu approval reject 建設-第7号 --as bucho --comment 予算超過
expect_code 0 "reject"; expect_out "rejected: 建設-第7号 is rejected" "rejected"
expect_err "(rejected): run " "handler ran"
run_jimu runs --format json
expect_eq "$(json_get '[(r["workflow"], r["status"], r["params"]) for r in j]')" \
  "[('on-decided', 'succeeded', {'document': '建設-第7号', 'outcome': 'rejected'})]" "handler run recorded"

# A handler that fails: the decision stands, the command exits 1 and says so.
workflow failing 'return jimu.workflow { id = "on-decided-broken", name = "壊れた後処理",
  params = { document = "", outcome = "" }, run = function(ctx) error("出力先がありません") end }'
run_jimu approval submit --title 封筒 --category 支出 --amount 100 --division x --as kensetsu.tanto \
  --rule "$WORK/wf/rule.lua" --handler "$WORK/wf/failing.lua" --id 建設-第8号
run_jimu approval approve 建設-第8号 --as kakari; expect_code 0 "no handler yet"
run_jimu approval approve 建設-第8号 --as bucho; expect_code 1 "handler failed"
expect_out "approved: 建設-第8号 is approved" "decision stands"
expect_err "failing.lua for document 建設-第8号 (approved): run " "handler reported"
expect_err "出力先がありません" "handler error shown"

# Withdraw (引戻し) by the drafter only. Numbered ids count every document, so this one is D-4.
run_jimu approval submit --title 研修参加 --category 支出 --amount 20000 --division 税務課 --as zeimu.tanto; expect_code 0 "submit 3"
expect_out "submitted: D-4 is at step 1" "numbered after the named one"
run_jimu approval withdraw D-4 --as zeimu.kakaricho; expect_code 2 "withdraw by another"
expect_err "document D-4: only its drafter zeimu.tanto may withdraw it, not zeimu.kakaricho" "withdraw refused"
run_jimu approval withdraw D-4 --as zeimu.tanto; expect_code 0 "withdraw"; expect_out "withdrawn: D-4 is withdrawn" "withdrawn"

# Delegation for today: the proxy acts, recorded "on behalf of".
run_jimu approval delegate --as zeimu.kacho --to zeimu.hosa --from "$today" --until 2026-02-30
expect_code 2 "bad delegation"; expect_err "delegation: until date '2026-02-30' is not a date like 2026-11-30" "bad until"
run_jimu approval delegate --as zeimu.kacho --to zeimu.hosa --from "$today" --until "$today"; expect_code 0 "delegate"
run_jimu approval submit --title 消耗品 --category 支出 --amount 3000 --division 税務課 --as zeimu.tanto; expect_code 0 "submit 4"
run_jimu approval approve D-5 --as zeimu.kakaricho; expect_code 0 "step 1 of D-5"
run_jimu approval list --as zeimu.hosa --format json
expect_eq "$(json_get '[(i["id"], i["waiting_for"]) for i in j]')" "[('D-5', 'zeimu.kacho')]" "proxy inbox"
run_jimu approval approve D-5 --as zeimu.hosa; expect_code 0 "proxy approves"
run_jimu approval show D-5; expect_out "zeimu.hosa on behalf of zeimu.kacho (delegation) approve step 2" "proxy recorded"
run_jimu approval list --state approved --format json
expect_eq "$(json_get '[d["id"] for d in j]')" "['D-5', '建設-第8号', 'D-1']" "list by state"

# Reminders and escalations for an overdue step (its due date moved into the past), once each.
run_jimu approval submit --title 旅費 --category 支出 --amount 5000 --division 福祉課 --as fukushi.tanto; expect_code 0 "submit 5"
sqlite3 "$JIMU_HOME/jimu.db" "UPDATE approval_steps SET due_date = '2020-01-06' WHERE document_id = 'D-6' AND step_no = 1"
run_jimu approval check-due --format json; expect_code 0 "check-due"
expect_eq "$(json_get 'j["overdue"], j["reminders"], j["escalations"]')" "1 1 1" "check-due records"
run_jimu approval check-due --format json
expect_eq "$(json_get 'j["overdue"], j["reminders"], j["escalations"]')" "1 0 0" "check-due is idempotent"
run_jimu approval reminders
expect_out "reminder	D-6 step 1	due 2020-01-06	to fukushi.kakaricho" "reminders listed"
expect_out "escalation	D-6 step 1" "escalation listed"

run_jimu audit verify; expect_code 0 "audit verify"

# A wrong setting names its line.
sed -i 's/^escalate_after_days = 2/escalate_after_days = soon/' "$JIMU_HOME/jimu.conf"
run_jimu approval check-due; expect_code 1 "bad escalate_after_days"
expect_err "jimu.conf:21: escalate_after_days must be a number of business days from 0 to 365, not 'soon'" "bad setting"

# A store that cannot be opened is a store error: exit 1 (a corrupt file used to abort jimu).
mkdir -p "$WORK/broken"
printf 'not a database: %0100d' 0 >"$WORK/broken/jimu.db"
run_jimu approval list --home "$WORK/broken"; expect_code 1 "store error"
expect_err "jimu: store: cannot open $WORK/broken/jimu.db: " "store error message"
finish

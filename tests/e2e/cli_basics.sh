#!/usr/bin/env bash
# jimu run / check / runs / show as a user meets them: exit codes, messages, history.
. "$(dirname "$0")/lib.sh"

run_jimu --help; expect_code 0 "jimu --help"; expect_out "commands:" "jimu --help"
for cmd in run check runs show "operations add" "operations list" "operations retire" "report kpi" "audit verify" "audit export"; do
  run_jimu $cmd --help; expect_code 0 "jimu $cmd --help"; expect_out "usage: jimu $cmd" "jimu $cmd --help"
done
run_jimu frobnicate; expect_code 2 "unknown command"; expect_err "unknown command 'frobnicate'" "unknown command"
for group in "operations:add, list, retire" "audit:verify, export" "secret:set, list, remove"; do
  name=${group%%:*}
  run_jimu "$name" frob; expect_code 2 "jimu $name frob"
  expect_err "unknown subcommand '$name frob' (${group#*:})" "jimu $name frob names the known ones"
  run_jimu "$name"; expect_code 2 "jimu $name without a subcommand"; expect_out "usage: jimu $name" "jimu $name usage"
done
run_jimu runs --colour; expect_code 2 "unknown option"; expect_err "unknown option '--colour' (see 'jimu runs --help')" "unknown option"

workflow ok 'return jimu.workflow {
  id = "tally", name = "集計", params = { n = 3 },
  run = function(ctx)
    for i = 1, ctx.params.n do ctx:processed() end
    jimu.log.info("合計 %d 件", ctx.params.n)
    assert(jimu.fs.write(ctx:out("sum.txt"), tostring(ctx.params.n)))
  end,
}'
run_jimu run "$WORK/wf/ok.lua" --param n=12
expect_code 0 "a succeeding run exits 0"
expect_out "run 1 succeeded: 12 items" "run summary"
expect_out "outputs: $JIMU_HOME/runs/1/out" "run prints where its outputs are"
expect_err "[info] 合計 12 件" "log lines are echoed"
expect_eq "$(cat "$JIMU_HOME/runs/1/out/sum.txt")" "12" "the output file"

workflow fails 'return jimu.workflow { id = "bad", name = "失敗",
  run = function(ctx)
    ctx:processed(2)
    error("口座番号が不正です")
  end }'
run_jimu run "$WORK/wf/fails.lua"
expect_code 1 "a failing run exits 1"
expect_out "run 2 failed: 2 items" "failed summary"
expect_out "error: $WORK/wf/fails.lua:4: 口座番号が不正です" "failed error"

workflow invalid 'return jimu.workflow { id = "x", name = "x", shedule = {}, run = function() end }'
run_jimu run "$WORK/wf/invalid.lua"
expect_code 2 "an invalid workflow exits 2"
expect_err "$WORK/wf/invalid.lua:1: unknown key 'shedule' in workflow (did you mean 'schedule'?)" "invalid message"
run_jimu run "$WORK/wf/ok.lua" --param m=1
expect_code 2 "an unknown parameter exits 2"
expect_err "unknown parameter 'm' (the workflow declares: n)" "unknown parameter"
run_jimu run "$WORK/wf/ok.lua" --param n
expect_code 2 "--param without ="; expect_err "--param expects NAME=VALUE, got 'n'" "--param without ="
run_jimu run "$WORK/wf/missing.lua"
expect_code 2 "a missing file exits 2"; expect_err "missing.lua: cannot read the file: No such file or directory" "missing file"

run_jimu check "$WORK/wf/ok.lua" "$WORK/wf/invalid.lua"
expect_code 2 "check with one bad file"
expect_out "$WORK/wf/ok.lua: ok" "check ok line"
expect_out "invalid.lua:1: unknown key 'shedule'" "check problem line"
run_jimu check "$WORK/wf/ok.lua"; expect_code 0 "check of a good file"

run_jimu run "$WORK/wf/ok.lua" --dry-run --format json
expect_code 0 "dry run"
expect_eq "$(json_get 'j["dry_run"], j["status"], j["out_dir"]')" "True succeeded $JIMU_HOME/scratch/3/out" "dry run json"

run_jimu runs
expect_code 0 "runs"
expect_out "succeeded" "runs lists"
expect_eq "$(echo "$OUT" | wc -l)" "4" "runs: header + 3 runs"
run_jimu runs --status failed --format json
expect_eq "$(json_get 'len(j), j[0]["workflow"], j[0]["error"].endswith("口座番号が不正です")')" "1 bad True" "runs --status failed"
run_jimu runs --status sideways; expect_code 2 "bad status"; expect_err "unknown status 'sideways'" "bad status"
run_jimu runs --workflow tally --limit 1 --format json
expect_eq "$(json_get 'len(j), j[0]["id"]')" "1 3" "runs --workflow --limit"

run_jimu show 2
expect_code 0 "show"
expect_out "status:    failed" "show status"
expect_out "stack traceback:" "show traceback"
run_jimu show 1 --format json
expect_eq "$(json_get 'j["items"], j["params"]["n"], j["log"][0]["message"]')" "12 12 合計 12 件" "show json"
run_jimu show 99; expect_code 1 "show of a missing run"; expect_err "run 99 does not exist" "show missing"
run_jimu show abc; expect_code 2 "show of a non-number"

# マイナンバー in a log line are masked on the terminal and in the store; other numbers are not.
workflow mynumber 'return jimu.workflow { id = "mn", name = "mn", run = function(ctx)
  jimu.log.info("申請者 123456789018 受付番号 123456789012") end }'
run_jimu run "$WORK/wf/mynumber.lua" --format json
expect_err "申請者 ************ 受付番号 123456789012" "masked on the terminal"
id=$(json_get 'j["run_id"]')
run_jimu show "$id" --format json
expect_eq "$(json_get 'j["log"][0]["message"]')" "申請者 ************ 受付番号 123456789012" "masked in the store"

# On a terminal, a long run shows a progress line (items, elapsed); in a pipe it does not.
workflow long 'return jimu.workflow { id = "long", name = "長い処理", run = function(ctx)
  local t = os.time() while os.time() - t < 3 do ctx:processed(1) end end }'
script -qec "$JIMU run $WORK/wf/long.lua" /dev/null >"$WORK/tty.txt" 2>&1
grep -q "処理中 [0-9]* 件" "$WORK/tty.txt" && pass || fail "progress line on a terminal: $(cat "$WORK/tty.txt")"
run_jimu run "$WORK/wf/long.lua"
case "$ERR" in *処理中*) fail "no progress line in a pipe" ;; *) pass ;; esac

# --home wins over JIMU_HOME; a fresh home gets a commented jimu.conf.
run_jimu runs --home "$WORK/other"
expect_out "no runs recorded" "--home chooses another store"
[ -f "$WORK/other/jimu.conf" ] && pass || fail "jimu.conf written on first use"

# A mistake in jimu.conf names the file and line.
printf '[limits]\nmemory_mb = 512\nmemroy = 3\n' >"$WORK/other/jimu.conf"
run_jimu runs --home "$WORK/other"
expect_code 1 "a bad config"
expect_err "$WORK/other/jimu.conf:3: unknown key 'memroy' in [limits]" "bad config message"

finish

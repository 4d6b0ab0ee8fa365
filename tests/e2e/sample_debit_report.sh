#!/usr/bin/env bash
# The debit-report sample (issue 3): a CP932 export with quoted newlines, ①, ㈱, 髙, ～ and
# half-width kana becomes an Excel report; openpyxl (a reader jimu did not write) checks every cell.
. "$(dirname "$0")/lib.sh"
sample=$JIMU_SOURCE_DIR/samples/debit-report

run_jimu operations add GYO-012 --name 口座振替結果点検 --division 税務課 --kind rpa --go-live 2026-04-01 --minutes 2
run_jimu run "$sample/debit-report.lua" --format json
expect_code 0 "the sample runs"
expect_err "18 records, 5 failed debits (27.8%), 446500 yen" "the sample's summary line"
out=$(json_get 'j["out_dir"]')/口座振替結果.xlsx
result=$(/usr/bin/python3 "$JIMU_SOURCE_DIR/tests/e2e/check_debit_report.py" "$sample/in/furikae-2026-11.csv" "$out" 2>&1)
expect_eq "$?" "0" "openpyxl reads every cell as expected: $result"

# A damaged record stops the run, names the file, line and field, and leaves no workbook.
mkdir -p "$WORK/in"
iconv -f UTF-8 -t CP932 >"$WORK/in/bad.csv" <<'CSV'
納付番号,氏名,氏名カナ,住所,税目,期別,金額,振替日,結果,備考
R8-1,髙橋 一郎,ﾀｶﾊｼ,東京都,個人住民税,3,12500,令和8年11月2日,0,
R8-2,佐藤 花子,ｻﾄｳ,横浜市,固定資産税,3,35600,令和8年2月30日,0,
CSV
printf '[files]\nread = %s\n' "$WORK/in" >"$JIMU_HOME/jimu.conf"
run_jimu run "$sample/debit-report.lua" --param input="$WORK/in/bad.csv" --format json
expect_code 1 "a bad date fails the run"
expect_out "$WORK/in/bad.csv:3: 振替日: " "the bad record is named"
bad_out=$(json_get 'j["out_dir"]')
[ ! -e "$bad_out/口座振替結果.xlsx" ] && pass || fail "no workbook is left after a failed run"
finish

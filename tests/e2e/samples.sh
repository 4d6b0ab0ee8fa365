#!/usr/bin/env bash
# Every sample runs as a test: the main demo twice (make demo must work a second time), checking
# what the sample wrote.
. "$(dirname "$0")/lib.sh"

out=$(JIMU="$JIMU" "$JIMU_SOURCE_DIR/samples/demo.sh" 2>&1); code=$?
expect_eq "$code" "0" "demo first run: $out"
out=$(JIMU="$JIMU" "$JIMU_SOURCE_DIR/samples/demo.sh" 2>&1); code=$?
expect_eq "$code" "0" "demo second run: $out"
case "$out" in *"run 2 succeeded: 14 items"*) pass ;; *) fail "demo second run output: $out" ;; esac

counter=$JIMU_HOME/runs/1/out/counter-summary.csv
expect_eq "$(sed -n 2p "$counter" | tr -d '\r')" "市民課,162,68.6" "window-tally: the biggest counter first"
expect_eq "$(tail -n 1 "$counter" | tr -d '\r')" "合計,236,100.0" "window-tally: total"
expect_eq "$(sed -n 4p "$JIMU_HOME/runs/1/out/procedure-summary.csv" | tr -d '\r')" "印鑑登録証明書,39,16.5" "window-tally: procedures"
[ ! -e "$JIMU_HOME/runs/1/out/rejected.csv" ] && pass || fail "no rejected rows in the sample"

# A file with a bad row: it is rejected, listed, and the run still succeeds.
mkdir -p "$WORK/in"
printf '受付日,窓口,手続,件数\n2026-11-02,市民課,住民票の写し,3\n2026-10-31,市民課,転入届,1\n2026-11-02,税務課,課税証明書,x\n' >"$WORK/in/bad.csv"
run_jimu run "$JIMU_SOURCE_DIR/samples/window-tally/window-tally.lua" --param input="$WORK/in/bad.csv" --format json
expect_code 1 "reading outside the allowed folders fails the run until jimu.conf allows it"
expect_out "may not read outside the folders this workflow is allowed" "denied read named"
printf '[files]\nread = %s\n' "$WORK/in" >"$JIMU_HOME/jimu.conf"
run_jimu run "$JIMU_SOURCE_DIR/samples/window-tally/window-tally.lua" --param input="$WORK/in/bad.csv" --format json
expect_code 0 "bad rows do not fail the run"
dir=$(json_get 'j["out_dir"]')
expect_eq "$(grep -c '' "$dir/rejected.csv")" "3" "two rejected rows listed"
expect_err "2 rows rejected; see rejected.csv" "warning logged"
finish

#!/bin/bash
# The browser test: installs playwright-core from the lock file (npm ci, into
# tests/browser/node_modules; Debian's chromium is the browser, never a download), prepares a jimu
# home with a user, a document waiting for them and an operation, starts `jimu web`, and runs
# web_test.mjs. Screenshots go to $1 (the test output folder).
set -euo pipefail
: "${JIMU:?set JIMU to the jimu binary}"
OUT=${1:?usage: run.sh OUTPUT_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x /usr/bin/chromium ] || { echo "chromium is not installed (apt-get install chromium)"; exit 1; }
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/jimu-browser-XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
HOME_DIR=$WORK/home
"$JIMU" user add kacho --role approver,manager --display '田中 課長' --password-stdin \
  --home "$HOME_DIR" <<<'secret-pass-1' >/dev/null
printf '[kpi]\noperations.baseline = 3\noperations.target = 11\n' >>"$HOME_DIR/jimu.conf"
"$JIMU" operations add GYO-1 --name '口座振替結果点検' --division 税務課 --kind rpa \
  --go-live 2020-04-01 --home "$HOME_DIR" >/dev/null
cat >"$WORK/rule.lua" <<'LUA'
return function(doc) return { steps = { { approvers = { "kacho" }, due_days = 3 } } } end
LUA
"$JIMU" approval submit --title '<i>コピー用紙</i> ㈱髙島屋 ～' --category 物品購入 --amount 48000 \
  --division 総務課 --as yamada --rule "$WORK/rule.lua" --home "$HOME_DIR" >/dev/null
cat >"$WORK/check.lua" <<'LUA'
return jimu.workflow {
  id = "debit-check", name = "口座振替結果点検", operation = "GYO-1",
  run = function(ctx) ctx:processed(12) end,
}
LUA
"$JIMU" web --listen 127.0.0.1:0 --home "$HOME_DIR" >"$WORK/web.out" 2>&1 &
PID=$!
URL=
for _ in $(seq 50); do
  URL=$(sed -n 's#^jimu web: serving \([^ ]*\) .*#\1#p' "$WORK/web.out")
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { cat "$WORK/web.out"; exit 1; }
node "$HERE/web_test.mjs" "$URL" "$OUT" "$JIMU" "$HOME_DIR" "$WORK/check.lua"

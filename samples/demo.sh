#!/usr/bin/env bash
# The main demo (make demo): registers the sample's operation, runs the sample workflow on the
# embedded SQLite store and shows where its outputs and history are.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jimu=${JIMU:-$here/../build/cli/jimu}
export JIMU_HOME=${JIMU_HOME:-$(cd "$here/.." && pwd)/demo-home}

if ! "$jimu" operations list | grep -q '^GYO-001'; then
  "$jimu" operations add GYO-001 --name 窓口受付件数の月次集計 --division 市民課 --kind rpa \
    --go-live 2026-04-01 --minutes 0.5
fi
"$jimu" run "$here/window-tally/window-tally.lua"
echo
echo "history:  JIMU_HOME=$JIMU_HOME $jimu runs"
echo "store:    $JIMU_HOME/jimu.db"
echo "KPI:      JIMU_HOME=$JIMU_HOME $jimu report kpi --fy 2026"

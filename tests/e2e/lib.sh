# Shared helpers for the end-to-end tests: each test script sources this, gets a fresh JIMU_HOME
# and work folder, and calls the real jimu binary ($JIMU, set by ctest).
set -uo pipefail
: "${JIMU:?set JIMU to the jimu binary}"
: "${JIMU_SOURCE_DIR:?set JIMU_SOURCE_DIR to the source tree}"
WORK=$(mktemp -d /tmp/jimu-e2e-XXXXXX)
export JIMU_HOME=$WORK/home
trap 'rm -rf "$WORK"' EXIT
FAILURES=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { PASSES=$((PASSES + 1)); }

# run_jimu ARGS...: runs jimu, capturing stdout in $OUT, stderr in $ERR and the status in $CODE.
run_jimu() {
  OUT=$("$JIMU" "$@" 2>"$WORK/stderr"); CODE=$?
  ERR=$(cat "$WORK/stderr")
}

expect_code() { [ "$CODE" = "$1" ] && pass || fail "$2: exit $CODE, expected $1 (stderr: $ERR)"; }
expect_out() { case "$OUT" in *"$1"*) pass ;; *) fail "$2: stdout lacks '$1': $OUT" ;; esac; }
expect_err() { case "$ERR" in *"$1"*) pass ;; *) fail "$2: stderr lacks '$1': $ERR" ;; esac; }
expect_eq() { [ "$1" = "$2" ] && pass || fail "$3: got '$1', expected '$2'"; }

# json_get EXPR: evaluates a Python expression on the JSON in $OUT (bound to j).
json_get() { /usr/bin/python3 -c "import json,sys; j=json.load(sys.stdin); print($1)" <<<"$OUT"; }

workflow() {  # workflow NAME BODY: writes $WORK/NAME.lua
  mkdir -p "$WORK/wf"
  printf '%s\n' "$2" >"$WORK/wf/$1.lua"
}

finish() {
  echo "$PASSES passed, $FAILURES failed"
  [ "$FAILURES" = 0 ]
}

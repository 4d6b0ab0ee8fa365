#!/usr/bin/env bash
# The document-receipt sample (issue 4): the export's received documents are recorded and routed;
# decisions made through the CLI write the Shift_JIS re-import XML; the KPI shows the electronic
# approval and paperless receipt rates.
. "$(dirname "$0")/lib.sh"
sample=$JIMU_SOURCE_DIR/samples/doc-receipt
fy_now=$(/usr/bin/python3 -c "import datetime as d; t=(d.datetime.utcnow()+d.timedelta(hours=9)).date(); print(t.year if t.month >= 4 else t.year - 1)")
today=$(/usr/bin/python3 -c "import datetime as d; print((d.datetime.utcnow()+d.timedelta(hours=9)).date())")

run_jimu run "$sample/doc-receipt.lua" --format json
expect_code 0 "the sample runs"
expect_err "6 received (4 electronic), 0 decided in the export, 6 submitted, 0 already submitted" "summary"
# Run again: nothing is submitted twice, nothing counted twice.
run_jimu run "$sample/doc-receipt.lua"
expect_code 0 "the sample runs again"
expect_err "6 received (4 electronic), 0 decided in the export, 0 submitted, 6 already submitted" "rerun"

run_jimu approval show R-2026-000104 --format json
expect_eq "$(json_get '[[a["approver"] for a in s["approvers"]] for s in j["steps"]]')" \
  "[['u2001'], ['u3001'], ['u4001'], ['u5001']]" "38.5M yen goes to the deputy mayor"

# Decisions through the CLI.
approve() { run_jimu approval approve "$1" --as "$2"; expect_code 0 "$2 approves $1"; }
approve R-2026-000101 u2001
approve R-2026-000101 u3001
run_jimu approval reject R-2026-000102 --as u2107 --comment '添付資料（①～③）が不足 <再提出> & 確認'
expect_code 0 "reject"
approve R-2026-000103 u2003
approve R-2026-000103 u2901
approve R-2026-000103 u3901
approve R-2026-000103 u3003
approve R-2026-000105 u2310
expect_eq "$(ls "$JIMU_HOME"/runs/*/out/reimport-*.xml 2>/dev/null | wc -l)" "4" "one re-import file per decided document"

reimport() { ls "$JIMU_HOME"/runs/*/out/reimport-"$1".xml 2>/dev/null | head -1; }
f101=$(reimport R-2026-000101)
expect_eq "$(head -n 1 "$f101")" '<?xml version="1.0" encoding="Shift_JIS"?>' "declared Shift_JIS"
check=$(/usr/bin/python3 - "$f101" "$(reimport R-2026-000102)" "$(reimport R-2026-000103)" <<'PY'
import sys, xml.etree.ElementTree as ET
out = []
for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    text = raw.decode("cp932")  # bytes are CP932 as declared (expat reads no Shift_JIS itself)
    doc = ET.fromstring(text.split("?>", 1)[1]).find("document")
    d = doc.find("decision")
    steps = [(s.get("order"), s.get("state"), [(a.get("id"), a.get("decision")) for a in s])
             for s in doc.find("route")]
    events = [(e.get("actor"), e.get("action"), e.text or "") for e in doc.find("history")]
    out.append((doc.get("id"), doc.find("title").text, d.get("result"), d.text, steps, events[-1]))
for o in out:
    print(o)
PY
)
expect_eq "$(sed -n 1p <<<"$check")" "('R-2026-000101', '㈱髙橋建設からの道路占用許可申請書（市道①号線）の収受について', 'approved', '承認', [('1', 'approved', [('u2001', 'approved')]), ('2', 'approved', [('u3001', 'approved')])], ('u3001', 'approve', ''))" "R-101 re-import"
expect_eq "$(sed -n 2p <<<"$check")" "('R-2026-000102', '令和8年度 補助金交付申請書（11月～12月分）', 'rejected', '否決', [('1', 'rejected', [('u2107', 'rejected')]), ('2', 'waiting', [('u3107', '')]), ('3', 'waiting', [('u4100', '')])], ('u2107', 'reject', '添付資料（①～③）が不足 <再提出> & 確認'))" "R-102 re-import, comment escaped"
expect_eq "$(sed -n 3p <<<"$check")" "('R-2026-000103', '情報公開請求書（R&D推進室の会議録）', 'approved', '承認', [('1', 'approved', [('u2003', 'approved')]), ('2', 'approved', [('u2901', 'approved'), ('u3901', 'approved')]), ('3', 'approved', [('u3003', 'approved')])], ('u3003', 'approve', ''))" "R-103 re-import"
grep -q 'R&amp;D' "$(reimport R-2026-000103)" && pass || fail "& is escaped as &amp; in the file"
grep -q '&lt;再提出&gt; &amp; 確認' <(iconv -f CP932 -t UTF-8 "$(reimport R-2026-000102)") && pass || fail "< > & escaped in text"

# An export that reports documents decided already (on paper, excluded with a reason).
mkdir -p "$WORK/in"
cat >"$WORK/in/decided.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<export period="2026-11">
  <document id="R-2026-000090" electronic="false"><title>紙の申請書</title>
    <received_date>2026-11-05</received_date><division>総務課</division>
    <decision method="paper" date="$today"/></document>
  <document id="R-2026-000091" electronic="false"><title>図面</title>
    <received_date>2026-11-06</received_date><division>道路管理課</division>
    <decision method="excluded" date="$today" reason="図面原本（A1判）のため"/></document>
  <document id="R-2026-000092" electronic="true"><title>電子申請</title>
    <received_date>2026-11-07</received_date><division>道路管理課</division>
    <decision method="electronic" date="$today"/></document>
</export>
XML
printf '[files]\nread = %s\n' "$WORK/in" >"$JIMU_HOME/jimu.conf"
run_jimu run "$sample/doc-receipt.lua" --param export="$WORK/in/decided.xml"
expect_code 0 "the decided export runs"
expect_err "3 received (1 electronic), 3 decided in the export, 0 submitted" "decided summary"
run_jimu run "$sample/doc-receipt.lua" --param export="$WORK/in/decided.xml"
expect_code 0 "re-importing the decided export"

# Decided: 4 routes (electronic) + 1 electronic + 1 paper + 1 excluded -> 5 / (7 - 1) = 83.3%.
run_jimu report kpi --fy "$fy_now" --format json
expect_code 0 "kpi json"
expect_eq "$(json_get 'j["approval"]["electronic_rate"], j["approval"]["decided"], j["approval"]["electronic"], j["approval"]["paper"], j["approval"]["excluded"], j["approval"]["routed"]')" \
  "83.3 7 5 1 1 4" "electronic approval rate"
expect_eq "$(json_get '[(d["division"], d["electronic_rate"]) for d in j["approval"]["by_division"]]')" \
  "[('公園緑地課', 100), ('福祉政策課', 100), ('総務課', 50), ('道路管理課', 100)]" "per division"
# Received in November 2026 (FY2026): 9, of which 5 electronically -> 55.6%.
run_jimu report kpi --fy 2026 --format json
expect_eq "$(json_get 'j["receipt"]["paperless_rate"], j["receipt"]["received"], j["receipt"]["electronic"]')" \
  "55.6 9 5" "paperless receipt rate"
run_jimu report kpi --fy 2026
expect_out "55.6%  (電子 5 / 収受 9)" "text report shows the receipt rate"
# A bad value in the export fails the run naming the document (records before it stand).
cat >"$WORK/in/bad.xml" <<'XML'
<export><document id="R-9" electronic="true"><received_date>2026-11-05</received_date>
<division>総務課</division><decision method="fax" date="2026-11-05"/></document></export>
XML
run_jimu run "$sample/doc-receipt.lua" --param export="$WORK/in/bad.xml"
expect_code 1 "a bad decision fails the run"
expect_out "bad.xml: document R-9: decision R-9: method 'fax' is not electronic, paper or excluded" "bad method named"

finish

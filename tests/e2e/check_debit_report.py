"""Checks the debit-report sample's workbook with a reader jimu did not write (openpyxl): every
cell of every sheet against values computed here, independently, from the CP932 CSV.

usage: check_debit_report.py INPUT.csv OUTPUT.xlsx  (exit 1 and a list of differences if any)"""
import csv, datetime, re, sys, zipfile
import openpyxl

REASONS = {"1": "残高不足", "2": "口座解約", "3": "名義相違・届出印相違", "9": "その他"}
HALF = "ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ"
FULL = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
VOICED = {c: chr(ord(c) + 1) for c in "カキクケコサシスセソタチツテトハヒフヘホ"}
SEMI = {c: chr(ord(c) + 2) for c in "ハヒフヘホ"}

def fullwidth_kana(s):
    out = []
    for ch in s:
        if ch == "ﾞ" and out and out[-1] in VOICED: out[-1] = VOICED[out[-1]]
        elif ch == "ﾞ" and out and out[-1] == "ウ": out[-1] = "ヴ"
        elif ch == "ﾟ" and out and out[-1] in SEMI: out[-1] = SEMI[out[-1]]
        elif ch in HALF: out.append(FULL[HALF.index(ch)])
        elif ch == " ": out.append("\u3000")
        else: out.append(ch)
    return "".join(out)

def reiwa(s):
    m = re.fullmatch(r"令和(\d+)年(\d+)月(\d+)日", s)
    return datetime.date(2018 + int(m[1]), int(m[2]), int(m[3]))

def as_date(v):
    if isinstance(v, datetime.datetime): return v.date()
    if isinstance(v, (int, float)): return datetime.date(1899, 12, 30) + datetime.timedelta(days=v)
    return v

problems = []
def same(where, got, want):
    if isinstance(want, float) and isinstance(got, (int, float)):
        if abs(got - want) > 1e-9: problems.append(f"{where}: {got!r} != {want!r}")
    elif isinstance(want, datetime.date):
        if as_date(got) != want: problems.append(f"{where}: {got!r} != {want!r}")
    elif got != want and not (want == "" and got is None):
        problems.append(f"{where}: {got!r} != {want!r}")

src, out = sys.argv[1], sys.argv[2]
with open(src, encoding="cp932", newline="") as f:
    records = list(csv.DictReader(f))

book = openpyxl.load_workbook(out, data_only=True)
same("sheets", book.sheetnames, ["集計", "明細", "振替不能"])

detail = book["明細"]
header = ["納付番号", "氏名", "氏名カナ", "住所", "税目", "期別", "金額", "振替日", "結果", "備考"]
same("明細 header", [c.value for c in detail[1]], header)
for i, r in enumerate(records, start=2):
    want = [r["納付番号"], r["氏名"], fullwidth_kana(r["氏名カナ"]), r["住所"], r["税目"], int(r["期別"]),
            int(r["金額"]), reiwa(r["振替日"]), "済" if r["結果"] == "0" else "不能", r["備考"]]
    for col, w in enumerate(want, start=1):
        same(f"明細!{openpyxl.utils.get_column_letter(col)}{i}", detail.cell(i, col).value, w)
same("明細 rows", detail.max_row, len(records) + 1)
same("明細 freeze", detail.freeze_panes, "A2")
same("明細 filter", detail.auto_filter.ref, f"A1:J{len(records) + 1}")
same("明細 金額 format", detail["G2"].number_format, '#,##0"円"')

failed = book["振替不能"]
bad = [r for r in records if r["結果"] != "0"]
for i, r in enumerate(bad, start=2):
    want = [r["納付番号"], r["氏名"], r["税目"], int(r["金額"]), reiwa(r["振替日"]), REASONS[r["結果"]], r["備考"]]
    for col, w in enumerate(want, start=1):
        same(f"振替不能!{openpyxl.utils.get_column_letter(col)}{i}", failed.cell(i, col).value, w)
same("振替不能 rows", failed.max_row, len(bad) + 1)

summary = book["集計"]
same("集計 title", summary["A1"].value, "令和8年11月 口座振替結果")
same("集計 merged", [str(r) for r in summary.merged_cells.ranges], ["A1:E1"])
taxes = sorted({r["税目"] for r in records})
for k, tax in enumerate(taxes, start=3):
    rs = [r for r in records if r["税目"] == tax]
    n_bad = sum(r["結果"] != "0" for r in rs)
    for col, w in enumerate([tax, len(rs), sum(int(r["金額"]) for r in rs), n_bad, n_bad / len(rs)], start=1):
        same(f"集計!{openpyxl.utils.get_column_letter(col)}{k}", summary.cell(k, col).value, w)
t = len(taxes) + 3
for col, w in enumerate(["合計", len(records), sum(int(r["金額"]) for r in records), len(bad), len(bad) / len(records)], start=1):
    same(f"集計!{openpyxl.utils.get_column_letter(col)}{t}", summary.cell(t, col).value, w)
formulas = openpyxl.load_workbook(out)["集計"]
same("集計 total formula", formulas.cell(t, 2).value, f"=SUM(B3:B{t - 1})")
with zipfile.ZipFile(out) as z:
    charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
same("charts", len(charts), 1)

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"ok: {len(records)} records, {len(bad)} failed, {len(taxes)} taxes, every cell as expected")

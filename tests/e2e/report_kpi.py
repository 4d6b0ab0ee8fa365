#!/usr/bin/python3
"""jimu report kpi --format xlsx|html, end to end, against the real binary and a real store.

A closed fiscal year (FY2025) is put into the store: operations through `jimu operations add`, runs
and documents as rows of the real schema. The workbook is read back by openpyxl (a reader jimu did
not write) and every figure is compared with `--format json`; the HTML page is checked for
escaping, structure and figures; both come out identical when run twice. Run by ctest with JIMU and
JIMU_SOURCE_DIR set.
"""
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

JIMU = os.environ["JIMU"]
WORK = tempfile.mkdtemp(prefix="jimu-e2e-report-")
HOME = os.path.join(WORK, "home")
ENV = dict(os.environ, JIMU_HOME=HOME)
JST = dt.timezone(dt.timedelta(hours=9))
failures = []
passes = 0

MARKUP_DIVISION = "税務課<script>alert(1)</script>"
MARKUP_NAME = "<b>口座振替</b>点検 ㈱"


def check(ok, what):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def jimu(*args, code=0):
    p = subprocess.run([JIMU, *args], env=ENV, capture_output=True, text=True)
    check(p.returncode == code, f"jimu {' '.join(args)}: exit {p.returncode}, expected {code}: "
                                f"{p.stderr}")
    return p


def ms(y, mo, d, h=12):
    return int(dt.datetime(y, mo, d, h, tzinfo=JST).timestamp() * 1000)


def seed():
    jimu("operations", "add", "GYO-1", "--name", MARKUP_NAME, "--division", MARKUP_DIVISION,
         "--kind", "rpa", "--go-live", "2025-04-01", "--minutes", "3")
    jimu("operations", "add", "GYO-2", "--name", "文書照会～〜", "--division", "総務課",
         "--kind", "ai", "--go-live", "2025-04-01", "--minutes", "1.5")
    jimu("operations", "add", "M-1", "--name", "電子申請ｶﾅ", "--division", "企画課",
         "--kind", "other_ict", "--go-live", "2024-10-01", "--manual")
    with open(os.path.join(HOME, "jimu.conf"), "a", encoding="utf-8") as f:
        f.write("\n[kpi]\noperations.baseline = 3\noperations.target = 11\n"
                "approval_rate.target = 90\n")
    db = sqlite3.connect(os.path.join(HOME, "jimu.db"))
    rows = [  # operation, started, status, items, dry, error
        ("GYO-1", ms(2025, 4, 10), "succeeded", 40, 0, ""),
        ("GYO-1", ms(2025, 6, 3), "succeeded", 60, 0, ""),
        ("GYO-2", ms(2025, 9, 1), "succeeded", 8, 0, ""),
        ("GYO-2", ms(2025, 9, 2), "failed", 2, 0, "in/a.csv:7: 髙橋 <img src=x onerror=alert(1)>"),
        ("GYO-1", ms(2026, 3, 31, 23), "interrupted", 0, 0, "the process running it stopped"),
        (None, ms(2025, 12, 1), "succeeded", 5, 0, ""),
        ("GYO-2", ms(2025, 10, 1), "succeeded", 99, 1, ""),  # dry: never counts
        ("GYO-2", ms(2026, 4, 1, 0), "succeeded", 7, 0, ""),  # FY2026
    ]
    with db:
        for op, at, status, items, dry, error in rows:
            day = dt.datetime.fromtimestamp(at / 1000, JST).date().isoformat()
            db.execute(
                "INSERT INTO runs (workflow_id, workflow_name, workflow_path, operation_id, "
                "trigger_kind, dry_run, status, started_at, started_day, ended_at, items, error, "
                "traceback, params, actor, owner) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'','{}','t','o')",
                ("wf", "<i>照会</i>", "/wf.lua", op, "schedule", dry, status, at, day, at + 1500,
                 items, error))
        # Runs written behind jimu's back get the day totals jimu keeps for the runs it records
        # (the statement of migration 7).
        db.execute("DELETE FROM run_day_totals")
        db.execute(RUN_DAY_TOTALS)
        for n, (division, method) in enumerate([("総務課", "electronic"), ("総務課", "paper"),
                                                 (MARKUP_DIVISION, "electronic"),
                                                 (MARKUP_DIVISION, "excluded")]):
            db.execute("INSERT INTO recorded_decisions VALUES (?,?,?,?,?,1)",
                       (f"D-{n}", division, "2025-07-01", method, "大判" if method == "excluded" else ""))
        for n, electronic in enumerate([1, 1, 0]):
            db.execute("INSERT INTO received_documents VALUES (?,?,?,?,1)",
                       (f"R-{n}", "総務課", "2025-08-01", electronic))
    db.close()


RUN_DAY_TOTALS = (
    "INSERT INTO run_day_totals (day, operation_id, status, dry_run, runs, items) "
    "SELECT started_day, COALESCE(operation_id, ''), status, dry_run, COUNT(*), "
    "COALESCE(SUM(items), 0) FROM runs WHERE status <> 'running' "
    "GROUP BY started_day, COALESCE(operation_id, ''), status, dry_run")


def check_workbook(path, j):
    wb = openpyxl.load_workbook(path)
    check(wb.sheetnames == ["概要", "業務", "所属", "月別", "失敗"], f"sheet names {wb.sheetnames}")
    s = wb["概要"]
    check(s["A1"].value == "RPA KPI報告 2025年度（令和7年度）", f"title {s['A1'].value}")
    figures = {row[0]: row[1:4] for row in s.iter_rows(min_row=5, values_only=True) if row[0]}
    expect = {
        "対象業務数（業務）": (j["operations"]["counted"], j["operations"]["baseline"],
                              j["operations"]["target"]),
        "\u3000うちRPA": (j["operations"]["by_kind"]["rpa"], None, None),
        "\u3000うちAI": (j["operations"]["by_kind"]["ai"], None, None),
        "\u3000うちその他ICT": (j["operations"]["by_kind"]["other_ict"], None, None),
        "実行回数（回）": (j["runs"]["total"], None, None),
        "\u3000成功": (j["runs"]["succeeded"], None, None),
        "\u3000失敗": (j["runs"]["failed"], None, None),
        "\u3000中断": (j["runs"]["interrupted"], None, None),
        "処理件数（件）": (j["items"], None, None),
        "削減時間（時間・推計）": (j["hours_saved"], None, None),
        "電子決裁率（%）": (j["approval"]["electronic_rate"], None, j["approval"]["target"]),
        "収受文書のペーパーレス化率（%）": (j["receipt"]["paperless_rate"], None, None),
    }
    for label, want in expect.items():
        check(figures.get(label) == want, f"概要 {label}: {figures.get(label)} != {want}")
    # The figures themselves, so that a report agreeing with a wrong JSON cannot pass.
    check(expect["対象業務数（業務）"] == (3, 3, 11), f"counted {expect['対象業務数（業務）']}")
    check(j["runs"]["total"] == 6 and j["items"] == 113, f"runs {j['runs']} items {j['items']}")
    check(j["approval"]["electronic_rate"] == 66.7, f"approval rate {j['approval']}")

    ops = [r for r in wb["業務"].iter_rows(min_row=2, values_only=True) if r[0]]
    check([(r[0], r[1], r[2], r[6], r[7], r[8], r[10], r[11]) for r in ops] ==
          [(o["id"], o["name"], o["division"], o["runs"], o["succeeded"], o["failed"], o["items"],
            o["hours_saved"]) for o in j["operations"]["list"]], f"業務 {ops}")
    check(ops[0][1] == MARKUP_NAME and ops[0][5] == "○", f"業務 row 1 {ops[0]}")

    divisions = {r[0]: r for r in wb["所属"].iter_rows(min_row=2, values_only=True) if r[0]}
    for d in j["by_division"]:
        got = divisions[d["division"]][1:5]
        want = (d["operations"], d["runs"], d["items"], d["hours_saved"])
        check(got == want, f"所属 {d['division']}: {got} != {want}")
    for a in j["approval"]["by_division"]:
        got = divisions[a["division"]][5:10]
        want = (a["decided"], a["electronic"], a["paper"], a["excluded"], a["electronic_rate"])
        check(got == want, f"所属 決裁 {a['division']}: {got} != {want}")
    for x in j["receipt"]["by_division"]:
        got = divisions[x["division"]][10:13]
        want = (x["received"], x["electronic"], x["paperless_rate"])
        check(got == want, f"所属 収受 {x['division']}: {got} != {want}")

    months = [r for r in wb["月別"].iter_rows(min_row=2, values_only=True) if r[0]]
    check(len(months) == 12 and months[0][0] == "2025年4月" and months[11][0] == "2026年3月",
          f"月別 labels {[m[0] for m in months]}")
    check([m[1:6] for m in months] ==
          [(m["runs"], m["succeeded"], m["failed"], m["items"], m["operations_cumulative"])
           for m in j["by_month"]], "月別 figures")
    check(all(m[6] == 11 for m in months), "月別 target column")

    fails = [r for r in wb["失敗"].iter_rows(min_row=2, values_only=True) if r[0]]
    check([(r[0], r[1], r[5] or "", r[6] or "", r[9]) for r in fails] ==
          [(f["run_id"], f["started"], f["operation"], f["division"], f["error"])
           for f in j["failures"]["list"]], f"失敗 {fails}")
    check([r[7] for r in fails] == ["中断", "失敗"], f"失敗 states {[r[7] for r in fails]}")

    check(len(s._charts) == 3, f"charts on 概要: {len(s._charts)}")
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        check(charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"],
              f"chart parts {charts}")
        xml = "".join(z.read(n).decode() for n in charts)
        for title in ("業務数の累計と目標", "月別実行回数", "所属別削減時間"):
            check(title in xml, f"chart title {title}")
        check("&apos;月別&apos;!$F$2:$F$13" in xml or "'月別'!$F$2:$F$13" in xml,
              "the cumulative line reads 月別!F2:F13")
    check(wb.properties.created == dt.datetime(2026, 3, 31, 15, 0, 0),
          f"created {wb.properties.created}")


def check_html(page, j):
    check(page.startswith("<!DOCTYPE html>\n<html lang=\"ja\">"), "doctype and lang")
    check("<script" not in page, "no script element")
    check("style=\"" not in page, "no style attribute")
    check("<b>" not in page and "<i>" not in page and "<img" not in page, "no injected markup")
    check("税務課&lt;script&gt;alert(1)&lt;/script&gt;" in page, "the division shows as text")
    check("&lt;b&gt;口座振替&lt;/b&gt;点検 ㈱" in page, "the operation name shows as text")
    check("髙橋 &lt;img src=x onerror=alert(1)&gt;" in page, "the error shows as text")
    for ref in ("http://", "https://", " src=\"", " href=\"", "@import", "url("):
        rest = page.replace("http://www.w3.org/2000/svg", "")
        check(ref not in rest, f"nothing loaded from outside ({ref})")
    check(page.count("<svg ") == 3 and page.count("role=\"img\"") == 3, "three inline charts")
    check("<title>RPA KPI報告 2025年度（令和7年度）</title>" in page, "page title")
    check("@page { size: A4 portrait;" in page and "@media print" in page, "print CSS")
    check("<th scope=\"row\">対象業務数（業務）</th><td class=\"num\">3</td>"
          "<td class=\"num\">3</td><td class=\"num\">11</td>" in page, "counted beside target")
    check("<th scope=\"row\">電子決裁率（%）</th><td class=\"num\">66.7</td>" in page,
          "approval rate")
    check(f"<th scope=\"row\">実行回数（回）</th><td class=\"num\">{j['runs']['total']}</td>" in page,
          "runs")
    check("<p class=\"note\">2 件</p>" in page, "the failures are counted")


def main():
    seed()
    p = jimu("report", "kpi", "--fy", "2025", "--format", "json")
    j = json.loads(p.stdout)
    a, b = os.path.join(WORK, "a.xlsx"), os.path.join(WORK, "b.xlsx")
    p = jimu("report", "kpi", "--fy", "2025", "--format", "xlsx", "--out", a)
    check(p.stderr.strip() == f"wrote {a}", f"xlsx message {p.stderr!r}")
    check_workbook(a, j)
    jimu("report", "kpi", "--fy", "2025", "--format", "xlsx", "--out", b)
    check(open(a, "rb").read() == open(b, "rb").read(), "the workbook is byte-identical twice")
    check(oct(os.stat(a).st_mode & 0o777) == "0o644", "the workbook is readable by colleagues")

    page = jimu("report", "kpi", "--fy", "2025", "--format", "html").stdout
    check_html(page, j)
    check(jimu("report", "kpi", "--fy", "2025", "--format", "html").stdout == page,
          "the page is identical twice")
    html_out = os.path.join(WORK, "kpi.html")
    jimu("report", "kpi", "--fy", "2025", "--format", "html", "--out", html_out)
    check(open(html_out, encoding="utf-8").read() == page, "--out writes the same page")

    # Errors: usage (2) or failure (1), the message names the problem, nothing is written.
    p = jimu("report", "kpi", "--fy", "2025", "--format", "xlsx", code=2)
    check(p.stderr == "jimu: --format xlsx needs --out FILE (a workbook is not written to the "
                      "terminal)\n", f"xlsx without --out: {p.stderr!r}")
    check(p.stdout == "", "nothing on stdout without --out")
    bad = os.path.join(WORK, "no-such-folder", "k.xlsx")
    p = jimu("report", "kpi", "--fy", "2025", "--format", "xlsx", "--out", bad, code=1)
    check(p.stderr == f"jimu: {bad}: cannot create: No such file or directory\n",
          f"unwritable: {p.stderr!r}")
    p = jimu("report", "kpi", "--fy", "令和7", "--format", "xlsx", "--out", b, code=2)
    check(p.stderr == "jimu: --fy expects a fiscal year like 2026, not '令和7'\n", f"bad fy {p.stderr!r}")
    p = jimu("report", "kpi", "--fy", "2025", "--format", "pdf", code=2)
    check(p.stderr == "jimu: unknown format 'pdf' (choose text, json, csv, xlsx, html)\n",
          f"bad format {p.stderr!r}")
    check(not [n for n in os.listdir(WORK) if n.startswith(".")], "no temporary file left behind")

    print(f"{passes} passed, {len(failures)} failed")
    shutil.rmtree(WORK, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

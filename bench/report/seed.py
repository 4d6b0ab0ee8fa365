#!/usr/bin/python3
"""Fills a jimu SQLite store with a fiscal year of history for the report benchmark.

Usage: seed.py JIMU_BINARY HOME [--runs N] [--documents N] [--fy YEAR]

The store is created by the real jimu binary (its migrations give the real schema) and the 50
operations of 20 divisions are registered through `jimu operations add`; only the bulk rows (runs,
recorded decisions, received documents) are inserted directly, in big transactions, with the
columns the store itself writes. Deterministic (fixed random seed): the same arguments give the
same store. HOME is removed first.
"""
import argparse
import datetime as dt
import os
import random
import shutil
import sqlite3
import subprocess
import sys

JST = dt.timezone(dt.timedelta(hours=9))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jimu")
    ap.add_argument("home")
    ap.add_argument("--runs", type=int, default=1_000_000)
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--fy", type=int, default=2025)
    a = ap.parse_args()
    rnd = random.Random(8)
    shutil.rmtree(a.home, ignore_errors=True)
    env = dict(os.environ, JIMU_HOME=a.home)

    divisions = [f"{name}課" for name in (
        "総務", "企画", "財政", "税務", "市民", "保険年金", "福祉", "子育て支援", "健康推進", "環境",
        "農林", "商工観光", "建設", "都市計画", "上下水道", "会計", "教育総務", "学校教育",
        "生涯学習", "議会事務局")]
    kinds = ["rpa"] * 35 + ["ai"] * 10 + ["other_ict"] * 5
    ops = []
    for i in range(50):
        op_id = f"GYO-{i + 1:03d}"
        division = divisions[i % len(divisions)]
        go_live = dt.date(a.fy, 4, 1) + dt.timedelta(days=rnd.randrange(0, 240))
        cmd = [a.jimu, "operations", "add", op_id, "--name", f"業務{i + 1:03d}（{division}）",
               "--division", division, "--kind", kinds[i], "--go-live", go_live.isoformat(),
               "--minutes", str(rnd.choice([1, 2, 3, 5, 10, 15]))]
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        ops.append((op_id, go_live))

    db = sqlite3.connect(os.path.join(a.home, "jimu.db"))
    db.execute("PRAGMA synchronous = OFF")
    start = dt.datetime(a.fy, 4, 1, tzinfo=JST)
    seconds = int((dt.datetime(a.fy + 1, 4, 1, tzinfo=JST) - start).total_seconds())
    base_ms = int(start.timestamp() * 1000)

    # Runs are appended as they start, so ids ascend with started_at as in a real store.
    starts = sorted(base_ms + rnd.randrange(seconds) * 1000 for _ in range(a.runs))

    def runs():
        for n, at in enumerate(starts):
            day = dt.datetime.fromtimestamp(at / 1000, JST).date().isoformat()
            r = rnd.random()
            op = None if r < 0.05 else ops[rnd.randrange(50)][0]
            s = rnd.random()
            status = "succeeded" if s < 0.93 else "failed" if s < 0.98 else "interrupted"
            dry = 1 if rnd.random() < 0.02 else 0
            items = rnd.randrange(0, 500) if status == "succeeded" else rnd.randrange(0, 50)
            error = "" if status == "succeeded" else (
                f"in/data{n % 97}.csv:{n % 5000}: unterminated quoted field"
                if status == "failed" else "the process running it stopped (node bench)")
            wf = f"wf-{(n % 60) + 1:02d}"
            yield (wf, f"ワークフロー{wf}", f"/srv/jimu/workflows/{wf}.lua", op, "schedule", dry,
                   status, at, day, at + rnd.randrange(100, 60_000), items, error, "", "{}",
                   "scheduler", "bench:1")

    sql = ("INSERT INTO runs (workflow_id, workflow_name, workflow_path, operation_id, "
           "trigger_kind, dry_run, status, started_at, started_day, ended_at, items, error, "
           "traceback, params, actor, owner) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    batch = []
    for row in runs():
        batch.append(row)
        if len(batch) == 100_000:
            with db:
                db.executemany(sql, batch)
            batch.clear()
    with db:
        db.executemany(sql, batch)
    # Runs written behind jimu's back get the day totals jimu keeps for the runs it records (the
    # statement of migration 7), as a store upgraded to migration 7 has them.
    with db:
        db.execute("DELETE FROM run_day_totals")
        db.execute(
            "INSERT INTO run_day_totals (day, operation_id, status, dry_run, runs, items) "
            "SELECT started_day, COALESCE(operation_id, ''), status, dry_run, COUNT(*), "
            "COALESCE(SUM(items), 0) FROM runs WHERE status <> 'running' "
            "GROUP BY started_day, COALESCE(operation_id, ''), status, dry_run")

    decided = a.documents // 2
    received = a.documents - decided
    with db:
        db.executemany(
            "INSERT INTO recorded_decisions (document_id, division, decided_on, method, reason, "
            "recorded_at) VALUES (?,?,?,?,?,?)",
            ((f"DOC-{n:07d}", divisions[rnd.randrange(20)],
              (dt.date(a.fy, 4, 1) + dt.timedelta(days=rnd.randrange(365))).isoformat(), m,
              "図面等の大判資料" if m == "excluded" else "", base_ms)
             for n, m in ((n, rnd.choices(["electronic", "paper", "excluded"], [80, 17, 3])[0])
                          for n in range(decided))))
        db.executemany(
            "INSERT INTO received_documents (document_id, division, received_on, electronic, "
            "recorded_at) VALUES (?,?,?,?,?)",
            ((f"RCV-{n:07d}", divisions[rnd.randrange(20)],
              (dt.date(a.fy, 4, 1) + dt.timedelta(days=rnd.randrange(365))).isoformat(),
              1 if rnd.random() < 0.7 else 0, base_ms) for n in range(received)))
    db.execute("ANALYZE")
    db.close()
    with open(os.path.join(a.home, "jimu.conf"), "a", encoding="utf-8") as f:
        f.write("\n[kpi]\noperations.baseline = 3\noperations.target = 50\n")
    print(f"seeded {a.home}: {a.runs} runs, {decided} decisions, {received} received documents, "
          f"FY{a.fy}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Writes a document-management export of N received documents (収受文書) for the XML benchmark.

Usage: gen_export.py N OUT.xml [--encoding utf-8|shift_jis]
The fields follow samples/doc-receipt/in/received-2026-11.xml; values are drawn from a fixed
seed so every run writes the same file.
"""
import random
import sys

CATEGORIES = ["一般", "許認可", "補助金", "契約", "情報公開", "人事", "財務", "照会・回答"]
DIVISIONS = ["総務課", "財政課", "道路管理課", "福祉政策課", "公園緑地課", "情報政策課",
             "市民課", "税務課", "子育て支援課", "環境保全課", "上下水道課", "教育総務課"]
SENDERS = ["㈱髙橋建設", "㈲山﨑商店", "みどり市民の会", "県土木事務所", "㈱ﾐﾄﾞﾘ設備",
           "社会福祉法人 あおば会", "国土交通省 地方整備局", "個人"]
SUBJECTS = ["道路占用許可申請書", "補助金交付申請書（①～③期分）", "前払金請求書 〜第2期〜",
            "要望書", "情報公開請求書", "照会文書", "見積書", "実績報告書"]
RETENTION = [("1", "1年"), ("3", "3年"), ("5", "5年"), ("10", "10年"), ("30", "30年")]
NAMES = ["髙橋 一郎", "渡邊 花子", "佐藤 ｹﾝｼﾞ", "小林 美咲", "山﨑 太郎", "鈴木 恵"]


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    encoding = "utf-8"
    if len(sys.argv) > 4 and sys.argv[3] == "--encoding":
        encoding = sys.argv[4]
    rnd = random.Random(20261101)
    declared = "UTF-8" if encoding == "utf-8" else "Shift_JIS"
    codec = "utf-8" if encoding == "utf-8" else "cp932"
    with open(out, "w", encoding=codec, newline="\n") as f:
        f.write(f'<?xml version="1.0" encoding="{declared}"?>\n')
        f.write(f'<export system="文書管理システム" period="2026-11" count="{n}">\n')
        for i in range(1, n + 1):
            cat = rnd.randrange(len(CATEGORIES))
            div = rnd.randrange(len(DIVISIONS))
            amount = 0 if rnd.random() < 0.4 else rnd.choice([1, 10, 100, 1000]) * rnd.randrange(1, 99999)
            years, label = rnd.choice(RETENTION)
            steps = rnd.randrange(1, 5)
            route = "".join(
                f'<step order="{k}" role="{["係長", "課長", "部長", "副市長"][k - 1]}" approver="u{rnd.randrange(1000, 9999)}"/>'
                for k in range(1, steps + 1))
            f.write(
                f'  <document id="R-2026-{i:07d}" electronic="{"true" if rnd.random() < 0.7 else "false"}">\n'
                f'    <title>{rnd.choice(SENDERS)}からの{rnd.choice(SUBJECTS)}について（第{i}号）</title>\n'
                f'    <received_date>2026-11-{rnd.randrange(1, 31):02d}</received_date>\n'
                f'    <category code="C-{cat:02d}">{CATEGORIES[cat]}</category>\n'
                f'    <retention years="{years}">{label}</retention>\n'
                f'    <division code="D-{div:03d}">{DIVISIONS[div]}</division>\n'
                f'    <drafter id="u{rnd.randrange(1000, 9999)}">{rnd.choice(NAMES)}</drafter>\n'
                f'    <amount currency="JPY">{amount}</amount>\n'
                f'    <route>{route}</route>\n'
                f'  </document>\n')
        f.write('</export>\n')


if __name__ == "__main__":
    main()

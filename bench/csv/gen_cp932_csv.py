#!/usr/bin/python3
"""Writes an N-row, 12-column CSV of Japanese records in CP932 (as Windows writes it), CRLF.

Usage: gen_cp932_csv.py N OUT.csv [--seed S]

The records look like a core system's resident export: names with 髙 and other IBM/NEC
characters, half-width kana readings (ｱｲｳ), addresses with ① and ㈱, amounts, dates, and a
remarks column that is sometimes quoted because it holds commas, quotes or a line break.
The first line is a header. Deterministic for a given seed.
"""
import argparse
import csv
import random

SURNAMES = ["髙橋", "佐藤", "鈴木", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤",
            "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水"]
SURNAME_KANA = ["ﾀｶﾊｼ", "ｻﾄｳ", "ｽｽﾞｷ", "ﾀﾅｶ", "ﾜﾀﾅﾍﾞ", "ｲﾄｳ", "ﾔﾏﾓﾄ", "ﾅｶﾑﾗ", "ｺﾊﾞﾔｼ",
                "ｶﾄｳ", "ﾖｼﾀﾞ", "ﾔﾏﾀﾞ", "ｻｻｷ", "ﾔﾏｸﾞﾁ", "ﾏﾂﾓﾄ", "ｲﾉｳｴ", "ｷﾑﾗ", "ﾊﾔｼ",
                "ｻｲﾄｳ", "ｼﾐｽﾞ"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "翔太", "陽菜", "大輔", "結衣", "健", "さくら"]
GIVEN_KANA = ["ﾀﾛｳ", "ﾊﾅｺ", "ｲﾁﾛｳ", "ﾐｻｷ", "ｼｮｳﾀ", "ﾋﾅ", "ﾀﾞｲｽｹ", "ﾕｲ", "ｹﾝ", "ｻｸﾗ"]
TOWNS = ["中央区本町", "北区栄町", "南区緑ヶ丘", "東区旭町", "西区桜台"]
BUILDINGS = ["", "", "", "コーポ髙木①", "メゾン㈱ビル", "第②ハイツ", "サンライズ～館"]
COMPANIES = ["", "", "㈱髙田商事", "㈲山本工務店", "株式会社ｶﾅ物産"]
REMARKS = ["", "", "", "", "転入", "口座変更あり", "要確認, 電話連絡済", "「至急」\"再送\"分",
           "前回分と合算\r\n次回より分割", "住所①→②へ変更"]
KINDS = ["国保", "後期", "介護", "住民税", "固定資産税"]

HEADER = ["番号", "氏名", "ﾌﾘｶﾞﾅ", "生年月日", "郵便番号", "住所", "電話番号",
          "法人名", "区分", "金額", "納期限", "備考"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20260401)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    with open(a.out, "w", encoding="cp932", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(HEADER)
        for i in range(1, a.n + 1):
            s = rnd.randrange(len(SURNAMES))
            g = rnd.randrange(len(GIVEN))
            w.writerow([
                i,
                SURNAMES[s] + "　" + GIVEN[g],
                SURNAME_KANA[s] + " " + GIVEN_KANA[g],
                "%04d-%02d-%02d" % (rnd.randint(1930, 2020), rnd.randint(1, 12), rnd.randint(1, 28)),
                "%03d-%04d" % (rnd.randint(100, 999), rnd.randint(0, 9999)),
                "%s%d丁目%d-%d%s" % (rnd.choice(TOWNS), rnd.randint(1, 9), rnd.randint(1, 30),
                                     rnd.randint(1, 20), rnd.choice(BUILDINGS)),
                "0%d-%04d-%04d" % (rnd.randint(10, 99), rnd.randint(0, 9999), rnd.randint(0, 9999)),
                rnd.choice(COMPANIES),
                rnd.choice(KINDS),
                rnd.randint(0, 2000000),
                "2026-%02d-%02d" % (rnd.randint(1, 12), rnd.randint(1, 28)),
                rnd.choice(REMARKS),
            ])


if __name__ == "__main__":
    main()

# The benchmark's rows, as write.lua and xlsx_write_c.c build them.
import datetime
FAMILY = ["髙橋", "佐藤", "鈴木", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健", "ゆい", "翔太"]
KANA = ["ﾀｶﾊｼ", "ｻﾄｳ", "ｽｽﾞｷ", "ﾀﾅｶ", "ﾜﾀﾅﾍﾞ", "ｲﾄｳ", "ﾔﾏﾓﾄ", "ﾅｶﾑﾗ", "ｺﾊﾞﾔｼ", "ｶﾄｳ"]
DIVISION = ["市民課", "税務課", "福祉課", "①窓口", "㈱委託"]
HEADER = ["番号", "氏名", "カナ", "住所", "受付日", "金額", "件数", "担当", "完了", "備考", "率", "改元日"]

def rows(n):
    for i in range(1, n + 1):
        yield i, (i, FAMILY[i % 10] + GIVEN[i % 7], KANA[i % 10],
                  "東京都千代田区霞が関%d丁目" % (i % 50 + 1),
                  datetime.datetime(2026, i % 12 + 1, i % 28 + 1), i * 1.5, i % 100,
                  DIVISION[i % 5], i % 2 == 0, "備考～%d" % i, (i % 1000) / 10,
                  datetime.datetime(2019 + i % 8, 5, 1))

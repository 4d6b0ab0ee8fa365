-- jimu's side of the Excel writing benchmark (bench/xlsx/run.sh): the same rows as
-- xlsx_write_c.c, built the same way, written through jimu.xlsx (constant memory by default).
local family = { "髙橋", "佐藤", "鈴木", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤" }
local given = { "太郎", "花子", "一郎", "美咲", "健", "ゆい", "翔太" }
local kana = { "ﾀｶﾊｼ", "ｻﾄｳ", "ｽｽﾞｷ", "ﾀﾅｶ", "ﾜﾀﾅﾍﾞ", "ｲﾄｳ", "ﾔﾏﾓﾄ", "ﾅｶﾑﾗ", "ｺﾊﾞﾔｼ", "ｶﾄｳ" }
local division = { "市民課", "税務課", "福祉課", "①窓口", "㈱委託" }
local header = { "番号", "氏名", "カナ", "住所", "受付日", "金額", "件数", "担当", "完了", "備考", "率", "改元日" }

return jimu.workflow {
  id = "bench-xlsx-write",
  name = "Excel書き出しベンチマーク",
  params = { rows = 100000 },
  timeout = 3600,
  run = function(ctx)
    local n = ctx.params.rows
    local book <close> = assert(jimu.xlsx.create(ctx:out("bench.xlsx")))
    local sheet = book:add_sheet("データ")
    sheet:write_row(1, header)
    local d1, d2 = { year = 2026 }, { month = 5, day = 1 }
    local row = { 0, "", "", "", d1, 0, 0, "", false, "", 0, d2 }
    for i = 1, n do
      d1.month, d1.day = i % 12 + 1, i % 28 + 1
      d2.year = 2019 + i % 8
      row[1] = i
      row[2] = family[i % 10 + 1] .. given[i % 7 + 1]
      row[3] = kana[i % 10 + 1]
      row[4] = "東京都千代田区霞が関" .. (i % 50 + 1) .. "丁目"
      row[6] = i * 1.5
      row[7] = i % 100
      row[8] = division[i % 5 + 1]
      row[9] = i % 2 == 0
      row[10] = "備考～" .. i
      row[11] = (i % 1000) / 10
      sheet:write_row(i + 1, row)
    end
    assert(book:close())
    ctx:processed(n)
  end,
}

-- 口座振替結果報告: last month's direct-debit results, from the core system's CP932 export to
-- the Excel report the tax division takes to its monthly meeting.
--
-- Reads the export (CP932, quoted fields with commas and line breaks), turns each 和暦 debit date
-- into a date, and writes a workbook with
--   「集計」 per tax: items, amount, failed debits and their rate, with a column chart;
--   「明細」 every record, names in full-width kana for sorting, dates as real Excel dates;
--   「振替不能」 the failed debits with the reason code spelled out, for follow-up.
-- A record that fails a check stops the run with the file, line and field named: a report with a
-- silently missing record is worse than no report.
local REASONS = { ["1"] = "残高不足", ["2"] = "口座解約", ["3"] = "名義相違・届出印相違", ["9"] = "その他" }

return jimu.workflow {
  id = "debit-report",
  name = "口座振替結果報告",
  operation = "GYO-012",
  params = { input = "in/furikae-2026-11.csv", title = "令和8年11月 口座振替結果" },
  timeout = "10m",

  run = function(ctx)
    local rows = assert(jimu.csv.read(ctx.params.input, { encoding = "cp932", header = true, strict = true }))

    local book <close> = assert(jimu.xlsx.create(ctx:out("口座振替結果.xlsx"), { constant_memory = false }))
    local head = book:format { bold = true, bg_color = "#DDEBF7", border = "thin", align = "center" }
    local yen = book:format { num_format = '#,##0"円"', border = "thin" }
    local count = book:format { num_format = "#,##0", border = "thin" }
    local pct = book:format { num_format = "0.0%", border = "thin" }
    local text = book:format { border = "thin" }
    local date = book:format { num_format = '[$-ja-JP]ggge"年"m"月"d"日"', border = "thin" }
    local title = book:format { bold = true, font_size = 14 }

    local summary = book:add_sheet("集計")
    local detail = book:add_sheet("明細")
    local failed = book:add_sheet("振替不能")

    -- 明細 and 振替不能, checking every record on the way.
    local columns = { "納付番号", "氏名", "氏名カナ", "住所", "税目", "期別", "金額", "振替日", "結果", "備考" }
    detail:write_row(1, columns, head)
    failed:write_row(1, { "納付番号", "氏名", "税目", "金額", "振替日", "不能理由", "備考" }, head)
    local taxes, by_tax, failed_row = {}, {}, 1
    for i, r in ipairs(rows) do
      local where = string.format("%s:%d", ctx.params.input, i + 1)
      local amount = math.tointeger(tonumber(r["金額"]))
      if not amount or amount < 0 then error(where .. ": 金額 '" .. r["金額"] .. "' is not an amount of yen", 0) end
      local day, msg = jimu.date.parse(r["振替日"])
      if not day then error(where .. ": 振替日: " .. msg, 0) end
      local ok = r["結果"] == "0"
      if not ok and not REASONS[r["結果"]] then error(where .. ": 結果 '" .. r["結果"] .. "' is not a known code", 0) end

      local kana = assert(jimu.text.to_fullwidth(r["氏名カナ"], { kana = true, space = true }))
      detail:write_row(i + 1, { r["納付番号"], r["氏名"], kana, r["住所"], r["税目"], tonumber(r["期別"]) }, text)
      detail:write(i + 1, 7, amount, yen)
      detail:write(i + 1, 8, day, date)
      detail:write(i + 1, 9, ok and "済" or "不能", text)
      detail:write(i + 1, 10, r["備考"], text)

      local t = by_tax[r["税目"]]
      if not t then
        t = { items = 0, amount = 0, failed = 0 }
        by_tax[r["税目"]] = t
        taxes[#taxes + 1] = r["税目"]
      end
      t.items, t.amount = t.items + 1, t.amount + amount
      if not ok then
        t.failed = t.failed + 1
        failed_row = failed_row + 1
        failed:write_row(failed_row, { r["納付番号"], r["氏名"], r["税目"] }, text)
        failed:write(failed_row, 4, amount, yen)
        failed:write(failed_row, 5, day, date)
        failed:write(failed_row, 6, REASONS[r["結果"]], text)
        failed:write(failed_row, 7, r["備考"], text)
      end
      ctx:processed(1)
    end
    detail:freeze(2, 1)
    detail:autofilter(string.format("A1:J%d", #rows + 1))
    detail:set_column("A", "A", 12)
    detail:set_column("B", "D", 24)
    detail:set_column("H", "H", 18)
    failed:set_column("A", "G", 16)

    -- 集計, in the order taxes first appear, with totals as formulas carrying their values.
    table.sort(taxes)
    summary:merge("A1:E1", ctx.params.title, title)
    summary:write_row(2, { "税目", "件数", "金額", "振替不能", "不能率" }, head)
    local total = { items = 0, amount = 0, failed = 0 }
    for k, tax in ipairs(taxes) do
      local t, row = by_tax[tax], k + 2
      summary:write(row, 1, tax, text)
      summary:write(row, 2, t.items, count)
      summary:write(row, 3, t.amount, yen)
      summary:write(row, 4, t.failed, count)
      summary:write(row, 5, t.failed / t.items, pct)
      total.items, total.amount, total.failed = total.items + t.items, total.amount + t.amount, total.failed + t.failed
    end
    local last = #taxes + 2
    local sum_row = last + 1
    summary:write(sum_row, 1, "合計", head)
    summary:write(sum_row, 2, { formula = string.format("=SUM(B3:B%d)", last), value = total.items }, count)
    summary:write(sum_row, 3, { formula = string.format("=SUM(C3:C%d)", last), value = total.amount }, yen)
    summary:write(sum_row, 4, { formula = string.format("=SUM(D3:D%d)", last), value = total.failed }, count)
    summary:write(sum_row, 5, { formula = string.format("=D%d/B%d", sum_row, sum_row), value = total.failed / total.items }, pct)
    summary:set_column("A", "A", 16)
    summary:set_column("B", "E", 14)
    local chart = book:add_chart {
      type = "column", title = "税目別 振替件数と不能件数",
      series = {
        { name = "件数", categories = string.format("集計!$A$3:$A$%d", last), values = string.format("集計!$B$3:$B$%d", last) },
        { name = "振替不能", categories = string.format("集計!$A$3:$A$%d", last), values = string.format("集計!$D$3:$D$%d", last) },
      },
      y_axis = "件数",
    }
    summary:insert_chart("G2", chart)
    assert(book:close())

    jimu.log.info("%d records, %d failed debits (%.1f%%), %s yen", total.items, total.failed,
                  100 * total.failed / total.items, total.amount)
  end,
}

-- Benchmark workflow (bench/csv_xlsx/run.sh): the clerical job issue 3 names. Streams a CP932
-- export with jimu.csv.rows and writes every row to an .xlsx sheet: 番号 and 金額 as numbers, the
-- two dates as Excel dates (yyyy"年"m"月"d"日"), the rest as text; the header row in bold.
return jimu.workflow {
  id = "bench-csv-xlsx", name = "CSV to Excel benchmark",
  params = { input = "data.csv", output = "out.xlsx" },
  run = function(ctx)
    local book <close> = assert(jimu.xlsx.create(ctx:out(ctx.params.output)))
    local sheet = book:add_sheet("データ")
    local bold = book:format { bold = true }
    local match, tonumber = string.match, tonumber
    local function date(s)
      local y, m, d = match(s, "^(%d%d%d%d)-(%d%d)-(%d%d)$")
      return { year = tonumber(y), month = tonumber(m), day = tonumber(d) }
    end
    local r = 0
    for row in jimu.csv.rows(ctx.params.input, { encoding = "cp932" }) do
      r = r + 1
      if r == 1 then
        sheet:write_row(1, row, bold)
      else
        -- Typed fields converted in place; dates get jimu's default 年月日 format.
        row[1], row[10] = tonumber(row[1]), tonumber(row[10])
        row[4], row[11] = date(row[4]), date(row[11])
        sheet:write_row(r, row)
        ctx:processed(1)
      end
    end
    assert(book:close())
  end,
}

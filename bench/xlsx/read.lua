-- jimu's side of the Excel reading benchmark: every row of the file, every value touched.
return jimu.workflow {
  id = "bench-xlsx-read",
  name = "Excel読み込みベンチマーク",
  params = { input = "bench.xlsx" },
  timeout = 3600,
  run = function(ctx)
    local reader <close> = assert(jimu.xlsx.open(ctx.params.input))
    local rows, total, cells = 0, 0, 0
    for row in assert(reader:rows(1)) do
      rows = rows + 1
      for c = 1, row.n do
        if row[c] ~= nil then cells = cells + 1 end
      end
      if rows > 1 then total = total + row[6] end
    end
    jimu.log.info("rows %d cells %d total %.1f", rows, cells, total)
    ctx:processed(rows)
  end,
}

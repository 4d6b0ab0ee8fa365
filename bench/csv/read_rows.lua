-- Benchmark workflow: streams a CSV with jimu.csv.rows and counts the rows with ctx:processed.
-- Run by bench/csv/run.sh; params.input is the CSV, params.header "yes" for keyed rows.
return jimu.workflow {
  id = "bench-csv-read",
  name = "CSV read benchmark",
  params = { input = "data.csv", header = "yes" },
  run = function(ctx)
    local keyed = ctx.params.header == "yes"
    for _ in jimu.csv.rows(ctx.params.input, { header = keyed }) do
      ctx:processed(1)
    end
  end,
}

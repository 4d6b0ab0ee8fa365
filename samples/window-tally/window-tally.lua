-- 窓口受付件数の月次集計 (monthly tally of counter receptions).
--
-- Reads the month's reception log exported by the counter system (UTF-8 CSV: 受付日, 窓口, 手続,
-- 件数), checks every row, and writes two summaries for the division heads: per counter and per
-- procedure, as CSV that Excel opens directly (UTF-8 with BOM, CRLF). Rows that fail a check are
-- listed in a separate file instead of being silently dropped.
return jimu.workflow {
  id = "window-tally",
  name = "窓口受付件数の月次集計",
  operation = "GYO-001",
  description = "Monthly tally of counter receptions per counter and procedure",
  params = { input = "in/uketsuke-2026-11.csv", month = "2026-11" },
  timeout = "5m",

  run = function(ctx)
    local text = assert(jimu.fs.read(ctx.params.input))
    local by_counter, by_procedure, rejected = {}, {}, {}
    local total, line_no = 0, 0

    for line in text:gmatch("([^\n]*)\n?") do
      line_no = line_no + 1
      line = line:gsub("\r$", "")
      if line_no > 1 and line ~= "" then
        local day, counter, procedure, count = line:match("^([^,]*),([^,]*),([^,]*),([^,]*)$")
        local n = tonumber(count)
        if not day then
          rejected[#rejected + 1] = { line_no, "expected 4 fields", line }
        elseif day:sub(1, 7) ~= ctx.params.month then
          rejected[#rejected + 1] = { line_no, "date outside " .. ctx.params.month, line }
        elseif not n or n < 0 or n % 1 ~= 0 then
          rejected[#rejected + 1] = { line_no, "件数 is not a count", line }
        else
          by_counter[counter] = (by_counter[counter] or 0) + n
          by_procedure[procedure] = (by_procedure[procedure] or 0) + n
          total = total + n
          ctx:processed(1)
        end
      end
    end

    local function write_summary(name, heading, counts)
      local keys = {}
      for k in pairs(counts) do keys[#keys + 1] = k end
      table.sort(keys, function(a, b) return counts[a] > counts[b] or (counts[a] == counts[b] and a < b) end)
      local out = { "\xEF\xBB\xBF" .. heading .. ",件数,構成比(%)" }
      for _, k in ipairs(keys) do
        out[#out + 1] = string.format("%s,%d,%.1f", k, counts[k], 100 * counts[k] / total)
      end
      out[#out + 1] = string.format("合計,%d,100.0", total)
      assert(jimu.fs.write(ctx:out(name), table.concat(out, "\r\n") .. "\r\n"))
    end

    write_summary("counter-summary.csv", "窓口", by_counter)
    write_summary("procedure-summary.csv", "手続", by_procedure)

    if #rejected > 0 then
      local out = { "\xEF\xBB\xBF行,理由,内容" }
      for _, r in ipairs(rejected) do out[#out + 1] = string.format('%d,%s,"%s"', r[1], r[2], r[3]) end
      assert(jimu.fs.write(ctx:out("rejected.csv"), table.concat(out, "\r\n") .. "\r\n"))
      jimu.log.warn("%d rows rejected; see rejected.csv", #rejected)
    end
    jimu.log.info("%s: %d receptions at %d counters", ctx.params.month, total,
                  (function() local c = 0 for _ in pairs(by_counter) do c = c + 1 end return c end)())
  end,
}

-- Benchmark (a'): as route_stream.lua, with records in flat form (each's flat = true): one table
-- per document, { ["@id"] = ..., category = ..., amount = ..., division = ..., ... }.
local function route(category, amount, division)
  if category == "契約" and amount >= 10000000 then return "副市長決裁" end
  if amount >= 1000000 then return "部長決裁" end
  if category == "許認可" or category == "補助金" or category == "情報公開" then return "課長決裁" end
  if division == "総務課" or division == "財政課" then return "課長決裁" end
  return "係長専決"
end

return jimu.workflow {
  id = "bench-xml-stream-flat",
  name = "XML benchmark: streaming, flat records",
  params = { input = "data/export-500k.xml" },
  run = function(ctx)
    local by_route, by_division = {}, {}
    local n = assert(jimu.xml.each(ctx.params.input, "/export/document", function(doc)
      local division = doc.division
      local r = route(doc.category, tonumber(doc.amount), division)
      by_route[r] = (by_route[r] or 0) + 1
      by_division[division] = (by_division[division] or 0) + 1
    end, { flat = true }))
    local keys = {}
    for k in pairs(by_route) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do jimu.log.info("route %s %d", k, by_route[k]) end
    keys = {}
    for k in pairs(by_division) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do jimu.log.info("division %s %d", k, by_division[k]) end
    jimu.log.info("documents %d", n)
    ctx:processed(n)
  end,
}

-- Benchmark (c): load the whole export (pugixml DOM) and select the three fields with XPath,
-- then assign routes and count as route_stream.lua does. Memory grows with the file.
local function route(category, amount, division)
  if category == "契約" and amount >= 10000000 then return "副市長決裁" end
  if amount >= 1000000 then return "部長決裁" end
  if category == "許認可" or category == "補助金" or category == "情報公開" then return "課長決裁" end
  if division == "総務課" or division == "財政課" then return "課長決裁" end
  return "係長専決"
end

return jimu.workflow {
  id = "bench-xml-dom",
  name = "XML benchmark: load and select",
  params = { input = "data/export-500k.xml" },
  run = function(ctx)
    local doc <close> = assert(jimu.xml.load(ctx.params.input))
    local categories = doc:select("/export/document/category/text()")
    local amounts = doc:select("/export/document/amount/text()")
    local divisions = doc:select("/export/document/division/text()")
    assert(#categories == #amounts and #amounts == #divisions, "every document has the three fields")
    local by_route, by_division = {}, {}
    for i = 1, #categories do
      local r = route(categories[i], tonumber(amounts[i]), divisions[i])
      by_route[r] = (by_route[r] or 0) + 1
      by_division[divisions[i]] = (by_division[divisions[i]] or 0) + 1
    end
    local keys = {}
    for k in pairs(by_route) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do jimu.log.info("route %s %d", k, by_route[k]) end
    keys = {}
    for k in pairs(by_division) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do jimu.log.info("division %s %d", k, by_division[k]) end
    jimu.log.info("documents %d", #categories)
    ctx:processed(#categories)
  end,
}

-- Benchmark (a): stream the export with jimu.xml.each, assign a route to every document by rule,
-- count documents per route and per division. Memory stays bounded by one document.
local rule = {}
function rule.route(category, amount, division)
  if category == "契約" and amount >= 10000000 then return "副市長決裁" end
  if amount >= 1000000 then return "部長決裁" end
  if category == "許認可" or category == "補助金" or category == "情報公開" then return "課長決裁" end
  if division == "総務課" or division == "財政課" then return "課長決裁" end
  return "係長専決"
end

return jimu.workflow {
  id = "bench-xml-stream",
  name = "XML benchmark: streaming",
  params = { input = "data/export-500k.xml" },
  run = function(ctx)
    local by_route, by_division = {}, {}
    local n = assert(jimu.xml.each(ctx.params.input, "/export/document", function(doc)
      local category, amount, division
      for _, c in ipairs(doc.children) do
        local tag = c.tag
        if tag == "category" then category = c.text
        elseif tag == "amount" then amount = tonumber(c.text)
        elseif tag == "division" then division = c.text end
      end
      local route = rule.route(category, amount, division)
      by_route[route] = (by_route[route] or 0) + 1
      by_division[division] = (by_division[division] or 0) + 1
    end))
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

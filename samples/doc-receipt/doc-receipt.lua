-- 収受文書の登録と決裁回付: the document-management system's monthly export of received documents
-- (収受文書) into jimu.
--
-- Streams the export (bounded memory, whatever its size) and, for every document:
--   - records its receipt (収受) with whether it was registered electronically, for the paperless
--     receipt rate of `jimu report kpi`;
--   - if the export says it is decided already (<decision method="electronic|paper|excluded"
--     date="YYYY-MM-DD" reason="..."/>), records that decision for the electronic approval rate;
--   - otherwise submits it for electronic approval (電子決裁) on the route route_rule.lua gives;
--     when the route ends, on_decided.lua writes the re-import XML for the management system.
-- Running it again on the same export changes nothing: records are replaced, not added, and a
-- document already submitted is not submitted twice.

-- The first child element named tag, or nil.
local function child(node, tag)
  for _, c in ipairs(node.children) do
    if c.tag == tag then return c end
  end
  return nil
end

local function text_of(node, tag, where)
  local c = child(node, tag)
  if c == nil then error(where .. ": <" .. tag .. "> is missing", 0) end
  return c.text
end

return jimu.workflow {
  id = "doc-receipt",
  name = "収受文書の登録と決裁回付",
  params = { export = "in/received-2026-11.xml" },
  timeout = "10m",

  run = function(ctx)
    local export = ctx.params.export
    local received, electronic, decided, submitted, pending = 0, 0, 0, 0, 0
    assert(jimu.xml.each(export, "/export/document", function(doc)
      local id = doc.attrs.id
      local where = export .. ": document " .. tostring(id)
      if id == nil or id == "" then error(export .. ": a document without id", 0) end
      local division = text_of(doc, "division", where)

      local is_electronic = doc.attrs.electronic == "true"
      local ok, err = jimu.approval.record_receipt {
        id = id, division = division, electronic = is_electronic,
        received_on = text_of(doc, "received_date", where),
      }
      if not ok then error(where .. ": " .. err, 0) end
      received = received + 1
      if is_electronic then electronic = electronic + 1 end

      local decision = child(doc, "decision")
      if decision ~= nil then
        ok, err = jimu.approval.record_decision {
          id = id, division = division, decided_on = decision.attrs.date or "",
          method = decision.attrs.method or "", reason = decision.attrs.reason,
        }
        if not ok then error(where .. ": " .. err, 0) end
        decided = decided + 1
      elseif jimu.approval.status(id) ~= nil then
        pending = pending + 1  -- submitted by an earlier run
      else
        local amount = tonumber(text_of(doc, "amount", where))
        if amount == nil then error(where .. ": <amount> is not a number", 0) end
        assert(jimu.approval.submit {
          document = {
            id = id, title = text_of(doc, "title", where),
            category = text_of(doc, "category", where), amount = amount, division = division,
            drafter = assert(child(doc, "drafter"), where .. ": <drafter> is missing").attrs.id,
          },
          rule = "route_rule.lua",
          on_decided = "on_decided.lua",
          comment = "収受 " .. text_of(doc, "received_date", where),
        })
        submitted = submitted + 1
      end
    end))
    jimu.log.info("%s: %d received (%d electronic), %d decided in the export, %d submitted, "
                  .. "%d already submitted", export, received, electronic, decided, submitted, pending)
  end,
}

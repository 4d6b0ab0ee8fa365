-- 決裁ルート (the sample's route rule): who approves a received document, by division, category
-- and amount, following the 専決規程 the export's own routes show: the section chief (係長)
-- checks; the division head (課長) decides up to 500,000 yen, the department head (部長) up to
-- 3,000,000 yen, above that the deputy mayor (副市長); information-disclosure requests are
-- co-signed (合議) by legal affairs and the information-policy division; general letters are
-- decided by the section chief (係長専決).
local posts = {
  ["道路管理課"] = { kakaricho = "u2001", kacho = "u3001", bucho = "u4001" },
  ["福祉政策課"] = { kakaricho = "u2107", kacho = "u3107", bucho = "u4100" },
  ["総務課"] = { kakaricho = "u2003", kacho = "u3003", bucho = "u4003" },
  ["公園緑地課"] = { kakaricho = "u2310", kacho = "u3310", bucho = "u4310" },
}
local FUKUSHICHO = "u5001"
local KACHO_LIMIT, BUCHO_LIMIT = 500000, 3000000

return function(doc)
  local p = posts[doc.division]
  if p == nil then return nil, "no route is defined for division " .. doc.division end
  if doc.category == "一般" and doc.amount == 0 then
    return { steps = { { approvers = { p.kakaricho }, due_days = 3, decides = true } } }
  end
  local steps = { { approvers = { p.kakaricho }, due_days = 2 } }
  if doc.category == "情報公開" then
    steps[#steps + 1] = { approvers = { "u2901", "u3901" }, mode = "all", due_days = 3 }
  end
  if doc.amount <= KACHO_LIMIT then
    steps[#steps + 1] = { approvers = { p.kacho }, due_days = 3, decides = true }
  elseif doc.amount <= BUCHO_LIMIT then
    steps[#steps + 1] = { approvers = { p.kacho }, due_days = 3 }
    steps[#steps + 1] = { approvers = { p.bucho }, due_days = 3, decides = true }
  else
    steps[#steps + 1] = { approvers = { p.kacho }, due_days = 3 }
    steps[#steps + 1] = { approvers = { p.bucho }, due_days = 3 }
    steps[#steps + 1] = { approvers = { FUKUSHICHO }, due_days = 5, decides = true }
  end
  return { steps = steps }
end

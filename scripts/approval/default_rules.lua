-- 決裁ルートの例: an example route rule, shipped with jimu. A rule file returns
-- function(document) -> route; jimu calls it for every document submitted with it.
--
--   document = { id, title, category, amount, division, drafter }   (amount in yen)
--   route    = { steps = { { approvers = { "user", ... }, mode = "all" | "any" | { quorum = N },
--                            due_days = 3, decides = true }, ... } }
--
-- This example follows a typical 専決規程 (delegation of decisions): the section chief (係長)
-- checks, contracts are co-signed (合議) by the contracts and finance sections, and the level
-- that decides for the organisation depends on the amount: the division head (課長) up to
-- 500,000 yen, the department head (部長) up to 3,000,000 yen, above that the deputy mayor
-- (副市長). Personnel matters always go to the department head. Copy it, change the names and
-- thresholds to your own regulations, and name your copy with --rule.

-- Who holds which post, per division.
local divisions = {
  ["総務課"] = { kakaricho = "somu.kakaricho", kacho = "somu.kacho", bucho = "somubu.bucho" },
  ["税務課"] = { kakaricho = "zeimu.kakaricho", kacho = "zeimu.kacho", bucho = "somubu.bucho" },
  ["福祉課"] = { kakaricho = "fukushi.kakaricho", kacho = "fukushi.kacho", bucho = "hokenbu.bucho" },
}

local KACHO_LIMIT = 500000     -- 課長専決: up to this amount
local BUCHO_LIMIT = 3000000    -- 部長専決: up to this amount

return function(doc)
  local posts = divisions[doc.division]
  if posts == nil then
    return nil, "no route is defined for division " .. doc.division
  end
  local steps = {}
  local function add(step) steps[#steps + 1] = step end

  add { approvers = { posts.kakaricho }, due_days = 2 }
  if doc.category == "契約" then
    -- 合議: both sections must agree to every contract.
    add { approvers = { "keiyaku.kakaricho", "zaimu.kakaricho" }, mode = "all", due_days = 3 }
  elseif doc.category == "物品購入" and doc.amount >= 100000 then
    -- One of the purchasing staff checks larger purchases.
    add { approvers = { "kobai.sato", "kobai.suzuki", "kobai.takahashi" }, mode = "any", due_days = 2 }
  end

  if doc.category == "人事" then
    add { approvers = { posts.kacho }, due_days = 3 }
    add { approvers = { posts.bucho }, due_days = 3, decides = true }
  elseif doc.amount <= KACHO_LIMIT then
    add { approvers = { posts.kacho }, due_days = 3, decides = true }
  elseif doc.amount <= BUCHO_LIMIT then
    add { approvers = { posts.kacho }, due_days = 3 }
    add { approvers = { posts.bucho }, due_days = 3, decides = true }
  else
    add { approvers = { posts.kacho }, due_days = 3 }
    add { approvers = { posts.bucho }, due_days = 3 }
    -- Two of the three executives (例: 副市長 and 会計管理者 and 政策監) decide large amounts.
    add { approvers = { "fukushicho", "kaikei.kanrisha", "seisakukan" }, mode = { quorum = 2 },
          due_days = 5, decides = true }
  end
  return { steps = steps }
end

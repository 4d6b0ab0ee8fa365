-- The cost of ctx:processed in a hot loop: 1,000,000 calls, against the same loop calling an
-- empty Lua function and an empty loop, measured inside one run with os.clock.
return jimu.workflow {
  id = "counting", name = "counting", params = { n = 1000000, rounds = 5 },
  run = function(ctx)
    local n = ctx.params.n
    local function noop(_, _) end
    local best = { empty = math.huge, lua_call = math.huge, processed = math.huge }
    for _ = 1, ctx.params.rounds do
      local t = os.clock()
      for i = 1, n do end
      best.empty = math.min(best.empty, os.clock() - t)
      t = os.clock()
      for i = 1, n do noop(ctx, 1) end
      best.lua_call = math.min(best.lua_call, os.clock() - t)
      t = os.clock()
      for i = 1, n do ctx:processed(1) end
      best.processed = math.min(best.processed, os.clock() - t)
    end
    local ns = function(s) return s * 1e9 / n end
    jimu.log.info("empty loop %.1f ns/iter; empty Lua function call %.1f ns/call; ctx:processed %.1f ns/call; overhead over the empty loop %.1f ns",
      ns(best.empty), ns(best.lua_call), ns(best.processed), ns(best.processed - best.empty))
  end,
}

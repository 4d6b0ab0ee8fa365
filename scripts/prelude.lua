-- The jimu prelude: built into the binary and run once in every workflow's Lua state, after the
-- sandbox's globals are set up and before they are locked. Keep it small: everything here is paid
-- for by every run's start-up.

-- coroutine.wrap on top of the host's tracked coroutine.resume, so that a time or memory limit
-- reaches code running inside a wrapped coroutine too.
do
  local resume, create, pack, unpack = coroutine.resume, coroutine.create, table.pack, table.unpack
  local status = coroutine.status
  coroutine.wrap = function(f)
    local co = create(f)
    return function(...)
      local r = pack(resume(co, ...))
      if r[1] then return unpack(r, 2, r.n) end
      if status(co) == "dead" then error(r[2], 0) end
      error(r[2], 2)
    end
  end
end

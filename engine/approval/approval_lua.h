// jimu.approval: workflows submit documents to the approval router and read their status.
// Register with LuaModule{"approval", &open_approval_module, router} where router is the
// ApprovalRouter (borrowed; it must outlive every host that opens the module). Reference:
// scripts/reference/approval.md.
#pragma once

struct lua_State;

namespace jimu {
int open_approval_module(lua_State* L);
}

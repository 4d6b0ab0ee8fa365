// Route rules: a Lua file returning function(document) -> route, evaluated in a fresh sandboxed
// LuaHost with a time and memory limit (DESIGN.md section 6). The document is the table
// { id, title, category, amount, division, drafter }; the route is
// { steps = { { approvers = { "kacho.tanaka" }, mode = "all"|"any"|{ quorum = 2 },
//               due_days = 3, decides = true }, ... } }.
// A rule may also return nil, message to refuse a document it has no route for.
//
// Only this file and approval_lua.cpp include lua.h. Thread-safe: each call has its own state.
#pragma once

#include <string>
#include <vector>

#include "engine/approval/route.h"
#include "engine/core/status.h"

struct lua_State;

namespace jimu {

struct RuleOptions {
  double time_limit_s = 5;                 // a rule that runs longer is stopped
  size_t memory_limit_bytes = 64u << 20;  // default 64 MB
  std::string scripts_dir;                 // shipped modules for `require`
};

// Evaluates the rule file at path (display names it in messages) for doc. Errors: not_found or io
// (unreadable file), parse (syntax), invalid (a runtime error, not a function, a refusal, or a
// wrong route: one line per mistake, "rule.lua: route: step 2: ..."), limit (time or memory).
Result<Route> evaluate_route_rule(const std::string& path, const std::string& display,
                                  const DocumentInfo& doc, const RuleOptions& options);

// Reads the route table at idx into *route; appends one message per mistake of shape or type
// ("step 2: mode must be ..."). Uses raw access only (no metamethods run). Must be called where a
// Lua error is caught (a bound function or a protected call).
void read_route_table(lua_State* L, int idx, Route* route, std::vector<std::string>* problems);

// Pushes doc as the rule's document table.
void push_document(lua_State* L, const DocumentInfo& doc);

}  // namespace jimu

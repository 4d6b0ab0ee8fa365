#include "engine/approval/approval_lua.h"

#include <functional>

#include "engine/approval/approval_router.h"
#include "engine/approval/route_rules.h"
#include "engine/calendar/local_time.h"
#include "engine/script/binding.h"

namespace jimu {
namespace {

ApprovalRouter& router_of(lua_State* L) {
  auto* r = static_cast<ApprovalRouter*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (r == nullptr) lua::raise(L, "jimu.approval is not available here (no approval store)");
  return *r;
}

std::string required_string(lua_State* L, int idx, const char* key, const char* fn) {
  auto v = lua::opt_string(L, idx, key);
  if (!v) {
    lua::raise(L, std::string("bad argument #1 to '") + fn + "' (document." + key +
                      " is required)");
  }
  return *v;
}

// Raises for a document field submit does not know, naming it (as argument 1's field).
void check_document_fields(lua_State* L, int idx) {
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    std::string key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    bool known = false;
    for (const char* k : {"id", "title", "category", "amount", "division", "drafter"}) {
      known = known || key == k;
    }
    if (!known) {
      std::string m = "unknown document field '" + key +
                      "' (known: id, title, category, amount, division, drafter)";
      luaL_argerror(L, 1, m.c_str());
    }
  }
}

// jimu.approval.submit{ document = {...}, rule = "FILE.lua" | route = {...}, on_decided = "h.lua",
//                       comment = "..." } -> id | nil, msg, code
int approval_submit(lua_State* L) {
  ApprovalRouter& router = router_of(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua::check_options(L, 1, {"document", "rule", "route", "on_decided", "comment"});
  if (lua_getfield(L, 1, "document") != LUA_TTABLE) {
    return luaL_argerror(L, 1, "document = { id, title, category, amount, division, drafter } "
                               "expected");
  }
  int doc_idx = lua_gettop(L);
  check_document_fields(L, doc_idx);
  Submission sub;
  sub.document.id = lua::opt_string(L, doc_idx, "id").value_or("");
  sub.document.title = required_string(L, doc_idx, "title", "submit");
  sub.document.category = required_string(L, doc_idx, "category", "submit");
  sub.document.division = required_string(L, doc_idx, "division", "submit");
  sub.document.drafter = required_string(L, doc_idx, "drafter", "submit");
  sub.document.amount = lua::opt_integer(L, doc_idx, "amount").value_or(0);
  auto rule = lua::opt_string(L, 1, "rule");
  bool has_route = lua_getfield(L, 1, "route") != LUA_TNIL;
  int route_idx = lua_gettop(L);
  if (rule.has_value() == has_route) {
    return luaL_argerror(L, 1, "give either rule = \"FILE.lua\" or route = { steps = ... }");
  }
  if (rule) {
    auto path = lua::resolve_read(L, *rule);
    if (!path) return lua::push_failure(L, path.status());
    sub.rule_path = *path;
    sub.rule_display = *rule;
  } else {
    Route route;
    std::vector<std::string> problems;
    read_route_table(L, route_idx, &route, &problems);
    if (!problems.empty()) {
      return lua::push_failure(L, problems_status("route", problems));
    }
    sub.route = std::move(route);
  }
  if (auto handler = lua::opt_string(L, 1, "on_decided")) {
    auto path = lua::resolve_read(L, *handler);
    if (!path) return lua::push_failure(L, path.status());
    sub.handler = *path;
  }
  sub.comment = lua::opt_string(L, 1, "comment").value_or("");
  if (lua::services(L).dry_run) {
    // A dry run checks the document and its route but submits nothing.
    if (auto problems = document_problems(sub.document); !problems.empty()) {
      return lua::push_failure(L, problems_status("document", problems));
    }
    if (!sub.rule_path.empty()) {
      auto r = evaluate_route_rule(sub.rule_path, sub.rule_display, sub.document, RuleOptions{});
      if (!r) return lua::push_failure(L, r.status());
    } else if (auto p = route_problems(*sub.route, sub.document.drafter); !p.empty()) {
      return lua::push_failure(L, problems_status("route", p));
    }
    lua::services(L).log->write(LogLevel::kInfo, "dry run: document '" + sub.document.title +
                                                     "' not submitted for approval");
    lua_pushstring(L, sub.document.id.empty() ? "(dry run)" : sub.document.id.c_str());
    return 1;
  }
  auto id = router.submit(sub);
  if (!id) return lua::push_failure(L, id.status());
  lua_pushstring(L, id->c_str());
  return 1;
}

void set_string(lua_State* L, const char* key, const std::string& v) {
  lua_pushlstring(L, v.data(), v.size());
  lua_setfield(L, -2, key);
}

void set_int(lua_State* L, const char* key, int64_t v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, key);
}

// jimu.approval.status(id) -> { id, state, step, title, ..., history = { ... } } | nil, msg, code
int approval_status(lua_State* L) {
  ApprovalRouter& router = router_of(L);
  std::string id = luaL_checkstring(L, 1);
  auto doc = router.store().approval_document(id);
  if (!doc) return lua::push_failure(L, doc.status());
  if (!*doc) return lua::push_failure(L, Status::not_found("document " + id + " does not exist"));
  auto history = router.store().approval_history(id);
  if (!history) return lua::push_failure(L, history.status());
  const ApprovalDocument& d = **doc;
  lua_createtable(L, 0, 12);
  set_string(L, "id", d.id);
  set_string(L, "state", d.state);
  set_int(L, "step", d.state == "sent_back" ? 0 : d.current_step);
  set_string(L, "title", d.title);
  set_string(L, "category", d.category);
  set_int(L, "amount", d.amount);
  set_string(L, "division", d.division);
  set_string(L, "drafter", d.drafter);
  lua_createtable(L, static_cast<int>(d.steps.size()), 0);
  for (const auto& s : d.steps) {
    lua_createtable(L, 0, 6);
    set_string(L, "state", s.state);
    set_string(L, "mode", s.mode);
    set_int(L, "required", s.required);
    set_string(L, "due_date", s.due_date);
    lua_pushboolean(L, s.decides);
    lua_setfield(L, -2, "decides");
    lua_createtable(L, static_cast<int>(s.assignees.size()), 0);
    int i = 0;
    for (const auto& a : s.assignees) {
      lua_createtable(L, 0, 3);
      set_string(L, "approver", a.approver);
      set_string(L, "decision", a.decision);
      lua_pushboolean(L, a.pending);
      lua_setfield(L, -2, "pending");
      lua_rawseti(L, -2, ++i);
    }
    lua_setfield(L, -2, "approvers");
    lua_rawseti(L, -2, s.step_no);
  }
  lua_setfield(L, -2, "steps");
  lua_createtable(L, static_cast<int>(history->size()), 0);
  int i = 0;
  for (const auto& e : *history) {
    lua_createtable(L, 0, 8);
    set_string(L, "at", format_local_time_iso(e.at));
    set_string(L, "actor", e.actor);
    if (!e.on_behalf_of.empty()) {
      set_string(L, "on_behalf_of", e.on_behalf_of);
      set_string(L, "capacity", e.capacity);
    }
    set_string(L, "action", e.action);
    set_int(L, "step", e.step_no);
    if (e.target_step >= 0) set_int(L, "to_step", e.target_step);
    set_string(L, "comment", e.comment);
    lua_rawseti(L, -2, ++i);
  }
  lua_setfield(L, -2, "history");
  return 1;
}

// A required string field of argument 1's table: raises naming the function when absent.
std::string required_field(lua_State* L, const char* key, const char* fn) {
  auto v = lua::opt_string(L, 1, key);
  if (!v) lua::raise(L, std::string("bad argument #1 to '") + fn + "' (" + key + " is required)");
  return *v;
}

// Records through the store, or (dry run) only checks and logs; true | nil, msg, code.
int record_result(lua_State* L, const Status& valid, const std::string& what,
                  const std::function<Status()>& record) {
  if (!valid) return lua::push_failure(L, valid);
  if (lua::services(L).dry_run) {
    lua::services(L).log->write(LogLevel::kInfo, "dry run: " + what + " not recorded");
  } else if (Status s = record(); !s) {
    return lua::push_failure(L, s);
  }
  lua_pushboolean(L, 1);
  return 1;
}

// jimu.approval.record_decision{ id, division, decided_on, method, reason } -> true | nil, msg, code
int approval_record_decision(lua_State* L) {
  ApprovalRouter& router = router_of(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua::check_options(L, 1, {"id", "division", "decided_on", "method", "reason"});
  RecordedDecision d;
  d.id = required_field(L, "id", "record_decision");
  d.division = required_field(L, "division", "record_decision");
  d.decided_on = required_field(L, "decided_on", "record_decision");
  d.method = required_field(L, "method", "record_decision");
  d.reason = lua::opt_string(L, 1, "reason").value_or("");
  return record_result(L, validate_recorded_decision(d), "decision of document " + d.id,
                       [&] { return router.store().record_decision(d, "workflow", router.now_ms()); });
}

// jimu.approval.record_receipt{ id, division, received_on, electronic } -> true | nil, msg, code
int approval_record_receipt(lua_State* L) {
  ApprovalRouter& router = router_of(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua::check_options(L, 1, {"id", "division", "received_on", "electronic"});
  ReceivedDocument r;
  r.id = required_field(L, "id", "record_receipt");
  r.division = required_field(L, "division", "record_receipt");
  r.received_on = required_field(L, "received_on", "record_receipt");
  auto electronic = lua::opt_bool(L, 1, "electronic");
  if (!electronic) lua::raise(L, "bad argument #1 to 'record_receipt' (electronic is required)");
  r.electronic = *electronic;
  return record_result(L, validate_received_document(r), "receipt of document " + r.id,
                       [&] { return router.store().record_receipt(r, "workflow", router.now_ms()); });
}

}  // namespace

int open_approval_module(lua_State* L) {
  static const luaL_Reg fns[] = {JIMU_LUA_FN("submit", approval_submit),
                                 JIMU_LUA_FN("status", approval_status),
                                 JIMU_LUA_FN("record_decision", approval_record_decision),
                                 JIMU_LUA_FN("record_receipt", approval_record_receipt),
                                 {nullptr, nullptr}};
  lua_newtable(L);
  lua_pushvalue(L, 1);  // the router (light userdata) or nil, shared as upvalue
  luaL_setfuncs(L, fns, 1);
  return 1;
}

}  // namespace jimu

#include "engine/approval/route_rules.h"

#include <lua.hpp>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/script/lua_host.h"

namespace jimu {
namespace {

// The rule's deadline, for the count hook (one evaluation per thread at a time).
thread_local std::chrono::steady_clock::time_point t_deadline;
thread_local bool t_expired = false;
thread_local double t_limit_s = 0;

void deadline_hook(lua_State* L, lua_Debug*) {
  if (!t_expired && std::chrono::steady_clock::now() < t_deadline) return;
  if (!t_expired) {
    t_expired = true;
    // From now on raise on every instruction, so a pcall in the rule cannot swallow the stop.
    lua_sethook(L, &deadline_hook, LUA_MASKCOUNT, 1);
  }
  luaL_error(L, "rule stopped: time limit of %g s exceeded", t_limit_s);
}

class NullLog final : public LogSink {
 public:
  void write(LogLevel, std::string_view) override {}
};

const char* type_of(lua_State* L, int idx) { return luaL_typename(L, idx); }

// Field of the table at idx, raw; pushes it.
int rawfield(lua_State* L, int idx, const char* key) {
  idx = lua_absindex(L, idx);
  lua_pushstring(L, key);
  return lua_rawget(L, idx);
}

void check_keys(lua_State* L, int idx, std::initializer_list<const char*> allowed,
                const std::string& where, std::vector<std::string>* problems) {
  idx = lua_absindex(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    bool ok = false;
    std::string key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    for (const char* a : allowed) ok = ok || key == a;
    if (!ok) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      std::string shown = lua_type(L, -1) == LUA_TSTRING
                              ? "'" + key + "'"
                              : std::string("of type ") + type_of(L, -1);
      if (lua_type(L, -1) == LUA_TNUMBER) {
        lua_pushvalue(L, -1);  // lua_tostring converts in place: convert a copy
        shown = std::string("[") + lua_tostring(L, -1) + "]";
        lua_pop(L, 1);
      }
      problems->push_back(where + "unknown key " + shown + " (" + list + ")");
    }
  }
}

bool whole_number(lua_State* L, int idx, long long* out) {
  if (!lua_isnumber(L, idx) || lua_type(L, idx) != LUA_TNUMBER) return false;
  lua_Number n = lua_tonumber(L, idx);
  if (std::floor(n) != n || std::fabs(n) > 1e9) return false;
  *out = static_cast<long long>(n);
  return true;
}

void read_step(lua_State* L, int idx, int no, RouteStep* step, std::vector<std::string>* problems) {
  std::string at = "step " + std::to_string(no) + ": ";
  if (!lua_istable(L, idx)) {
    problems->push_back(at + "must be a table { approvers = { ... } }, not " + type_of(L, idx));
    return;
  }
  check_keys(L, idx, {"approvers", "mode", "due_days", "decides"}, at, problems);
  int t = rawfield(L, idx, "approvers");
  if (t == LUA_TTABLE) {
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_rawgeti(L, -1, i);
      if (lua_type(L, -1) == LUA_TSTRING) {
        step->approvers.emplace_back(lua_tostring(L, -1));
      } else {
        problems->push_back(at + "approver " + std::to_string(i) + " must be a user name (string), not " +
                            type_of(L, -1));
      }
      lua_pop(L, 1);
    }
    if (n == 0) problems->push_back(at + "approvers must not be empty");
  } else if (t == LUA_TNIL) {
    problems->push_back(at + "approvers is missing (approvers = { \"kacho.tanaka\" })");
  } else {
    problems->push_back(at + "approvers must be a list of user names, not " + type_of(L, -1));
  }
  lua_pop(L, 1);
  t = rawfield(L, idx, "mode");
  if (t == LUA_TSTRING) {
    step->mode = lua_tostring(L, -1);
    if (step->mode == "quorum") {
      problems->push_back(at + "a quorum is written mode = { quorum = N }");
      step->mode = "all";
    }
  } else if (t == LUA_TTABLE) {
    step->mode = "quorum";
    int q = rawfield(L, -1, "quorum");
    long long n = 0;
    if (q == LUA_TNIL) {
      problems->push_back(at + "mode table needs quorum = N");
      step->quorum = 1;
    } else if (!whole_number(L, -1, &n)) {
      problems->push_back(at + "quorum must be a whole number, not " +
                          (lua_type(L, -1) == LUA_TNUMBER ? std::string(lua_tostring(L, -1))
                                                          : std::string(type_of(L, -1))));
      step->quorum = 1;
    } else {
      step->quorum = static_cast<int>(n);
    }
    lua_pop(L, 1);
    check_keys(L, -1, {"quorum"}, at + "mode: ", problems);
  } else if (t != LUA_TNIL) {
    problems->push_back(at + "mode must be \"all\", \"any\" or { quorum = N }, not " +
                        type_of(L, -1));
  }
  lua_pop(L, 1);
  t = rawfield(L, idx, "due_days");
  if (t != LUA_TNIL) {
    long long n = 0;
    if (!whole_number(L, -1, &n)) {
      problems->push_back(at + "due_days must be a whole number of business days, not " +
                          (t == LUA_TNUMBER ? std::string(lua_tostring(L, -1))
                                            : std::string(type_of(L, -1))));
    } else {
      step->due_days = static_cast<int>(std::max<long long>(std::min<long long>(n, 1 << 20), -1));
    }
  }
  lua_pop(L, 1);
  t = rawfield(L, idx, "decides");
  if (t == LUA_TBOOLEAN) {
    step->decides = lua_toboolean(L, -1);
  } else if (t != LUA_TNIL) {
    problems->push_back(at + "decides must be true or false, not " + std::string(type_of(L, -1)));
  }
  lua_pop(L, 1);
}

struct Evaluation {
  const DocumentInfo* doc;
  Route route;
  std::vector<std::string> problems;  // route shape/type problems
  std::string refusal;                // the rule returned nil, message
  bool refused = false;
  std::string not_function;           // what the file returned instead of a function
};

// Runs protected: loads the rule, calls it with the document, reads the route.
int evaluate(lua_State* L) {
  auto* ev = static_cast<Evaluation*>(lua_touserdata(L, 1));
  lua_settop(L, 2);  // the loaded chunk
  lua_call(L, 0, 1);
  if (!lua_isfunction(L, -1)) {
    ev->not_function = type_of(L, -1);
    return 0;
  }
  push_document(L, *ev->doc);
  lua_call(L, 1, 2);
  if (lua_isnil(L, -2)) {
    ev->refused = true;
    ev->refusal = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    return 0;
  }
  read_route_table(L, -2, &ev->route, &ev->problems);
  return 0;
}

}  // namespace

void push_document(lua_State* L, const DocumentInfo& doc) {
  lua_createtable(L, 0, 6);
  for (auto [k, v] : {std::pair{"id", &doc.id}, std::pair{"title", &doc.title},
                      std::pair{"category", &doc.category}, std::pair{"division", &doc.division},
                      std::pair{"drafter", &doc.drafter}}) {
    lua_pushlstring(L, v->data(), v->size());
    lua_setfield(L, -2, k);
  }
  lua_pushinteger(L, doc.amount);
  lua_setfield(L, -2, "amount");
}

void read_route_table(lua_State* L, int idx, Route* route, std::vector<std::string>* problems) {
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) {
    problems->push_back(std::string("must be a table { steps = { ... } }, not ") + type_of(L, idx));
    return;
  }
  check_keys(L, idx, {"steps"}, "", problems);
  int t = rawfield(L, idx, "steps");
  if (t != LUA_TTABLE) {
    problems->push_back(t == LUA_TNIL ? std::string("steps is missing (steps = { { approvers = "
                                                    "{ ... } }, ... })")
                                      : std::string("steps must be a list of steps, not ") +
                                            type_of(L, -1));
    lua_pop(L, 1);
    return;
  }
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, -1));
  if (n > kMaxRouteSteps * 10) n = kMaxRouteSteps * 10;  // reported below as too many
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    RouteStep step;
    read_step(L, lua_gettop(L), static_cast<int>(i), &step, problems);
    route->steps.push_back(std::move(step));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

Result<Route> evaluate_route_rule(const std::string& path, const std::string& display,
                                  const DocumentInfo& doc, const RuleOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    std::string why = std::strerror(err);
    if (err == ENOENT) return Status::not_found(display + ": the rule file does not exist");
    return Status::io(display + ": cannot read the rule file: " + why);
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::string source = buf.str();

  NullLog log;
  FileAccess files;
  LuaHostOptions ho;
  ho.memory_limit_bytes = options.memory_limit_bytes;
  ho.scripts_dir = options.scripts_dir;
  ho.services.files = &files;
  ho.services.log = &log;
  auto host = LuaHost::create(ho);
  if (!host) return host.status();
  lua_State* L = (*host)->state();

  Evaluation ev;
  ev.doc = &doc;
  t_expired = false;
  t_limit_s = options.time_limit_s;
  t_deadline = std::chrono::steady_clock::now() +
               std::chrono::microseconds(static_cast<int64_t>(options.time_limit_s * 1e6));
  lua_sethook(L, &deadline_hook, LUA_MASKCOUNT, 1000);
  lua_settop(L, 0);
  lua_pushcfunction(L, &evaluate);
  lua_pushlightuserdata(L, &ev);
  std::string chunkname = "@" + display;
  size_t skip = source.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a BOM is not Lua
  if (luaL_loadbufferx(L, source.data() + skip, source.size() - skip, chunkname.c_str(), "t") !=
      LUA_OK) {
    lua_sethook(L, nullptr, 0, 0);
    return Status::parse(lua_tostring(L, -1) ? lua_tostring(L, -1) : display + ": cannot load");
  }
  int rc = lua_pcall(L, 2, 0, 0);
  lua_sethook(L, nullptr, 0, 0);
  if (t_expired) {
    return Status::limit(display + ": rule stopped: time limit of " +
                         std::to_string(static_cast<int>(options.time_limit_s)) + " s exceeded");
  }
  if ((*host)->stopping()) {  // the host's allocator stops at the memory limit
    return Status::limit(display + ": rule stopped: " + (*host)->stop_reason());
  }
  if (rc == LUA_ERRMEM) return Status::limit(display + ": rule stopped: not enough memory");
  if (rc != LUA_OK) {
    std::string msg = lua_tostring(L, -1) ? lua_tostring(L, -1) : "unknown error";
    return Status::invalid(msg);
  }
  if (!ev.not_function.empty()) {
    return Status::invalid(display + ": the rule file must return a function(document) -> route, "
                           "but it returned " + ev.not_function);
  }
  if (ev.refused) {
    return Status::invalid(display + ": the rule gives no route for this document" +
                           (ev.refusal.empty() ? "" : ": " + ev.refusal));
  }
  std::vector<std::string> problems = ev.problems;
  if (problems.empty()) problems = route_problems(ev.route, doc.drafter);
  if (!problems.empty()) return problems_status(display + ": route", problems);
  return ev.route;
}

}  // namespace jimu

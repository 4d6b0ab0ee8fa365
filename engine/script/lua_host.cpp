#include "engine/script/lua_host.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "engine/script/binding.h"
#include "engine/script/host_registry.h"
#include "engine/script/prelude.h"
#include "engine/script/workflow_validation.h"

namespace fs = std::filesystem;

namespace jimu {

struct LuaHost::Internals {
  static LuaHost* of(lua_State* L) { return *static_cast<LuaHost**>(lua_getextraspace(L)); }
  static void arm(LuaHost* h) { h->arm_stop_hooks(); }
  static void* alloc(void* ud, void* ptr, size_t osize, size_t nsize);
  static int resume(lua_State* L);
  static int msgh(lua_State* L);
  static int xpcall(lua_State* L);
  static int xpcall_handler(lua_State* L);
};

namespace {

constexpr size_t kMemoryHeadroom = 4u << 20;  // lets the stop error unwind once the cap is hit
constexpr const char* kWorkflowMark = "jimu.workflow.defs";  // registry: weak set of definitions

thread_local LuaHost* t_active_host = nullptr;

// The hook that stops a run: installed only once a stop is requested, it raises on every
// instruction until the script has unwound to the host.
void stop_hook(lua_State* L, lua_Debug*) {
  LuaHost* h = LuaHost::Internals::of(L);
  std::string reason = h->stop_reason();
  luaL_error(L, "run stopped: %s", reason.c_str());
}

void on_stop_signal(int) {
  // Async-signal context: lua_sethook is documented as safe here (lua.c does the same on SIGINT).
  if (LuaHost* h = t_active_host) LuaHost::Internals::arm(h);
}

void install_signal_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = &on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR2, &sa, nullptr);
  });
}

// Marks the calling thread as running inside a host for the scope's duration.
class ActiveScope {
 public:
  ActiveScope(LuaHost* h, std::atomic<unsigned long>* run_thread) : run_thread_(run_thread) {
    previous_ = t_active_host;
    t_active_host = h;
    run_thread_->store(static_cast<unsigned long>(pthread_self()));
  }
  ~ActiveScope() {
    run_thread_->store(0);
    t_active_host = previous_;
  }

 private:
  LuaHost* previous_;
  std::atomic<unsigned long>* run_thread_;
};

// ---- sandboxed base functions -----------------------------------------------------------------

int sandbox_load(lua_State* L) {
  // load(chunk [, chunkname [, mode [, env]]]): text chunks only, env defaults to the sandbox.
  int nargs = lua_gettop(L);
  if (nargs >= 3 && !lua_isnil(L, 3)) {
    const char* mode = luaL_checkstring(L, 3);
    if (std::strcmp(mode, "t") != 0) {
      return luaL_argerror(L, 3, "only text chunks may be loaded (mode \"t\")");
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));  // the original load
  lua_pushvalue(L, 1);
  if (nargs >= 2) lua_pushvalue(L, 2); else lua_pushnil(L);
  lua_pushstring(L, "t");
  if (nargs >= 4) lua_pushvalue(L, 4); else lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_call(L, 4, LUA_MULTRET);
  return lua_gettop(L) - nargs;
}

int sandbox_collectgarbage(lua_State* L) {
  const char* opt = luaL_optstring(L, 1, "collect");
  if (std::strcmp(opt, "collect") != 0 && std::strcmp(opt, "count") != 0 &&
      std::strcmp(opt, "step") != 0) {
    return luaL_argerror(L, 1, "only \"collect\", \"count\" and \"step\" are allowed");
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

void log_from_lua(lua_State* L, LogLevel level, int first) {
  // jimu.log.info(fmt, ...) formats like string.format when given more than one argument.
  int n = lua_gettop(L);
  std::string message;
  if (n > first) {
    lua_getfield(L, LUA_REGISTRYINDEX, "jimu.string.format");
    for (int i = first; i <= n; ++i) lua_pushvalue(L, i);
    lua_call(L, n - first + 1, 1);
    message = lua_tostring(L, -1);
    lua_pop(L, 1);
  } else if (n == first) {
    size_t len = 0;
    const char* s = luaL_tolstring(L, first, &len);
    message.assign(s, len);
    lua_pop(L, 1);
  }
  jimu::lua::services(L).log->write(level, message);
}

int log_info(lua_State* L) { log_from_lua(L, LogLevel::kInfo, 1); return 0; }
int log_warn(lua_State* L) { log_from_lua(L, LogLevel::kWarn, 1); return 0; }
int log_error(lua_State* L) { log_from_lua(L, LogLevel::kError, 1); return 0; }

int sandbox_print(lua_State* L) {
  std::string line;
  int n = lua_gettop(L);
  for (int i = 1; i <= n; ++i) {
    size_t len = 0;
    const char* s = luaL_tolstring(L, i, &len);
    if (i > 1) line += '\t';
    line.append(s, len);
    lua_pop(L, 1);
  }
  jimu::lua::services(L).log->write(LogLevel::kInfo, line);
  return 0;
}

int sandbox_require(lua_State* L) {
  std::string name = luaL_checkstring(L, 1);
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) {
      return luaL_argerror(L, 1, "module names are letters, digits, '_' and '.'");
    }
  }
  lua_getfield(L, LUA_REGISTRYINDEX, "jimu.loaded");
  if (lua_getfield(L, -1, name.c_str()) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  std::string rel = name;
  for (char& c : rel) if (c == '.') c = '/';
  std::string dir = lua_tostring(L, lua_upvalueindex(1));
  std::string path = dir + "/" + rel + ".lua";
  std::ifstream in(path, std::ios::binary);
  if (dir.empty() || !in) {
    return luaL_error(L, "module '%s' not found (require loads only jimu's own scripts, from %s)",
                      name.c_str(), dir.c_str());
  }
  std::stringstream text;
  text << in.rdbuf();
  std::string src = text.str();
  std::string chunkname = "@scripts/" + rel + ".lua";
  if (luaL_loadbufferx(L, src.data(), src.size(), chunkname.c_str(), "t") != LUA_OK) {
    return lua_error(L);
  }
  lua_pushstring(L, name.c_str());
  lua_call(L, 1, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, name.c_str());
  return 1;
}

// setmetatable without __gc: Lua runs finalizers with hooks disabled, so a looping finalizer could
// never be stopped.
int sandbox_setmetatable(lua_State* L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE && lua_getfield(L, 2, "__gc") != LUA_TNIL) {
    return luaL_argerror(L, 2, "__gc metamethods are not allowed in workflows; use a <close> "
                               "variable for clean-up");
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) {
    return luaL_error(L, "cannot change a protected metatable");
  }
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

int locked_newindex(lua_State* L) {
  const char* key = lua_tostring(L, 2);
  return luaL_error(L,
                    "assignment to undeclared global '%s' (declare it local, e.g. 'local %s = ...')",
                    key ? key : "?", key ? key : "x");
}

int locked_index(lua_State* L) {
  const char* key = lua_tostring(L, 2);
  return luaL_error(L, "undefined global '%s'", key ? key : "?");
}

// jimu.workflow{...}: marks the table as a workflow definition and remembers the call's line.
int workflow_fn(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Debug ar;
  int line = 0;
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar)) line = ar.currentline;
  lua_getfield(L, LUA_REGISTRYINDEX, kWorkflowMark);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, line);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  lua_settop(L, 1);
  return 1;
}

std::string read_file(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *ok = false;
    return {};
  }
  std::stringstream buf;
  buf << in.rdbuf();
  *ok = true;
  return buf.str();
}

void push_param(lua_State* L, const ParamValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) {
    lua_pushlstring(L, s->data(), s->size());
  } else if (const auto* b = std::get_if<bool>(&v)) {
    lua_pushboolean(L, *b);
  } else {
    double d = std::get<double>(v);
    lua_Integer i;
    if (lua_numbertointeger(d, &i) && static_cast<double>(i) == d) {
      lua_pushinteger(L, i);
    } else {
      lua_pushnumber(L, d);
    }
  }
}

// ctx:processed([n]): the hot path of every workflow; no allocation, no lookup.
int ctx_processed(lua_State* L) {
  auto* counter = static_cast<std::atomic<int64_t>*>(lua_touserdata(L, lua_upvalueindex(1)));
  lua_Integer n = 1;
  if (lua_gettop(L) >= 2) {
    int isnum = 0;
    n = lua_tointegerx(L, 2, &isnum);
    if (!isnum || n < 0) return luaL_argerror(L, 2, "a count of items (integer >= 0) expected");
  }
  counter->store(counter->load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  return 0;
}

// ctx:out(name): a path for an output file under the run's output folder.
int ctx_out(lua_State* L) {
  std::string name = luaL_checkstring(L, 2);
  fs::path rel(name);
  bool bad = name.empty() || rel.is_absolute();
  for (const auto& part : rel) {
    if (part == ".." || part == ".") bad = true;
  }
  if (bad) {
    return luaL_argerror(L, 2, "a file name inside the run's output folder expected (no '..', "
                               "not absolute)");
  }
  fs::path path = fs::path(lua_tostring(L, lua_upvalueindex(1))) / rel;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    return luaL_error(L, "%s: cannot create folder: %s", path.parent_path().c_str(),
                      ec.message().c_str());
  }
  lua_pushstring(L, path.c_str());
  return 1;
}

}  // namespace

// ---- HostServices lookup for the binding layer ---------------------------------------------------

namespace lua {
HostServices* host_services_of(lua_State* L) {
  LuaHost* h = LuaHost::Internals::of(L);
  return h ? &h->services_for_bindings() : nullptr;
}

void raise_if_stopping(lua_State* L) {
  LuaHost* h = LuaHost::Internals::of(L);
  if (h != nullptr && h->stopping()) {
    std::string reason = h->stop_reason();
    luaL_error(L, "run stopped: %s", reason.c_str());
  }
}
}  // namespace lua

// ---- the host ---------------------------------------------------------------------------------

void* LuaHost::Internals::alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* h = static_cast<LuaHost*>(ud);
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    std::free(ptr);
    h->used_ -= old;
    return nullptr;
  }
  if (nsize > old && h->used_ + (nsize - old) > h->cap_) {
    if (!h->memory_exceeded_) {
      h->memory_exceeded_ = true;
      h->cap_ += kMemoryHeadroom;
      size_t mb = (h->cap_ - kMemoryHeadroom) >> 20;
      h->request_stop("memory limit of " + std::to_string(mb) + " MB exceeded");
      if (t_active_host == h) h->arm_stop_hooks();
    }
    if (h->used_ + (nsize - old) > h->cap_) return nullptr;
  }
  void* p = std::realloc(ptr, nsize);
  if (p == nullptr) return nullptr;
  h->used_ = h->used_ - old + nsize;
  return p;
}

// coroutine.resume, tracked: the resumed coroutine is recorded so that a stop reaches it.
int LuaHost::Internals::resume(lua_State* L) {
  LuaHost* h = of(L);
  lua_State* co = lua_tothread(L, 1);
  luaL_argexpected(L, co, 1, "coroutine");
  if (h->resumed_depth_ >= kMaxResumeDepth) return luaL_error(L, "coroutines nested too deeply");
  h->resumed_[h->resumed_depth_] = co;
  h->resumed_depth_ = h->resumed_depth_ + 1;
  if (h->stopping()) h->arm_stop_hooks();
  struct Pop {
    LuaHost* h;
    ~Pop() { h->resumed_depth_ = h->resumed_depth_ - 1; }
  } pop{h};
  lua_pushvalue(L, lua_upvalueindex(1));  // the original coroutine.resume
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// xpcall with the script's message handler skipped while the run is stopping: when the stop hook
// raises, Lua calls the handler with hooks disabled, so a looping handler could never be stopped.
int LuaHost::Internals::xpcall(lua_State* L) {
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, &xpcall_handler, 1);
  lua_replace(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));  // the original xpcall
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

int LuaHost::Internals::xpcall_handler(lua_State* L) {
  if (of(L)->stopping()) return 1;  // the stop message, untouched
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// The message handler of every protected call: keeps the message and the traceback apart.
int LuaHost::Internals::msgh(lua_State* L) {
  LuaHost* h = of(L);
  size_t len = 0;
  const char* msg = luaL_tolstring(L, 1, &len);
  h->error_message_.assign(msg, len);
  luaL_traceback(L, L, nullptr, 1);
  h->error_traceback_ = lua_tostring(L, -1);
  lua_pop(L, 1);
  return 1;
}

LuaHost::LuaHost(const LuaHostOptions& options) : options_(options) {
  cap_ = options.memory_limit_bytes;
}

LuaHost::~LuaHost() {
  if (L_ != nullptr) {
    lua_sethook(L_, nullptr, 0, 0);
    lua_close(L_);
  }
}

Result<std::unique_ptr<LuaHost>> LuaHost::create(const LuaHostOptions& options) {
  install_signal_handler();
  std::unique_ptr<LuaHost> host(new LuaHost(options));
  Status s = host->init();
  if (!s) return s;
  return host;
}

HostServices& LuaHost::services_for_bindings() { return options_.services; }

std::string LuaHost::stop_reason() const {
  std::lock_guard<std::mutex> lock(stop_mutex_);
  return stop_reason_;
}

void LuaHost::request_stop(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(stop_mutex_);
    if (stop_requested_.load()) return;
    stop_reason_ = reason;
    stop_requested_.store(true);
  }
  unsigned long thread = run_thread_.load();
  if (thread != 0 && thread != static_cast<unsigned long>(pthread_self())) {
    pthread_kill(static_cast<pthread_t>(thread), SIGUSR2);
  }
}

void LuaHost::arm_stop_hooks() {
  constexpr int kMask = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  lua_sethook(L_, &stop_hook, kMask, 1);
  for (int i = 0; i < resumed_depth_; ++i) lua_sethook(resumed_[i], &stop_hook, kMask, 1);
}

Status LuaHost::init() {
  L_ = lua_newstate(&Internals::alloc, this);
  if (L_ == nullptr) return Status::limit("cannot create a Lua state: not enough memory");
  *static_cast<LuaHost**>(lua_getextraspace(L_)) = this;
  ActiveScope scope(this, &run_thread_);

  auto setup = [](lua_State* L) -> int {
    LuaHost* h = Internals::of(L);
    luaL_openlibs(L);
    // The sandbox's global table, built from an allow-list.
    lua_newtable(L);
    int G = lua_gettop(L);
    lua_pushglobaltable(L);
    int full = lua_gettop(L);
    for (const char* name : {"assert", "error", "ipairs", "next", "pairs", "pcall",
                             "select", "tonumber", "tostring", "type", "rawequal", "rawget",
                             "rawset", "rawlen", "getmetatable", "_VERSION",
                             "string", "table", "math", "utf8", "coroutine"}) {
      lua_getfield(L, full, name);
      lua_setfield(L, G, name);
    }
    lua_pushcfunction(L, &sandbox_setmetatable);
    lua_setfield(L, G, "setmetatable");
    lua_getfield(L, full, "xpcall");
    lua_pushcclosure(L, &Internals::xpcall, 1);
    lua_setfield(L, G, "xpcall");
    lua_getfield(L, full, "load");
    lua_pushcclosure(L, &sandbox_load, 1);
    lua_setfield(L, G, "load");
    lua_getfield(L, full, "collectgarbage");
    lua_pushcclosure(L, &sandbox_collectgarbage, 1);
    lua_setfield(L, G, "collectgarbage");
    lua_pushcfunction(L, &lua::guarded<sandbox_print>);
    lua_setfield(L, G, "print");
    lua_pushstring(L, h->options_.scripts_dir.c_str());
    lua_pushcclosure(L, &sandbox_require, 1);
    lua_setfield(L, G, "require");
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, "jimu.loaded");

    // os: time and dates only.
    lua_getfield(L, full, "os");
    int os_full = lua_gettop(L);
    lua_newtable(L);
    for (const char* name : {"time", "clock", "date", "difftime"}) {
      lua_getfield(L, os_full, name);
      lua_setfield(L, -2, name);
    }
    lua_setfield(L, G, "os");
    lua_pop(L, 1);

    // string.dump is removed from the library table itself: strings index it as their metatable.
    lua_getfield(L, G, "string");
    lua_getfield(L, -1, "format");
    lua_setfield(L, LUA_REGISTRYINDEX, "jimu.string.format");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);

    // coroutine.resume tracked (wrap is redefined on top of it by the prelude).
    lua_getfield(L, G, "coroutine");
    lua_getfield(L, -1, "resume");
    lua_pushcclosure(L, &Internals::resume, 1);
    lua_setfield(L, -2, "resume");
    lua_pop(L, 1);

    // The jimu table.
    lua_newtable(L);
    int jimu_t = lua_gettop(L);
    lua_pushcfunction(L, &lua::guarded<workflow_fn>);
    lua_setfield(L, jimu_t, "workflow");
    static const luaL_Reg log_fns[] = {JIMU_LUA_FN("info", log_info),
                                       JIMU_LUA_FN("warn", log_warn),
                                       JIMU_LUA_FN("error", log_error), {nullptr, nullptr}};
    luaL_newlib(L, log_fns);
    lua_setfield(L, jimu_t, "log");
    for (const LuaModule& m : h->options_.modules) {
      lua_pushcfunction(L, m.open);
      if (m.context != nullptr) lua_pushlightuserdata(L, m.context); else lua_pushnil(L);
      lua_call(L, 1, 1);
      lua_setfield(L, jimu_t, m.name);
    }
    lua_setfield(L, G, "jimu");

    // Weak-keyed set of definitions made by jimu.workflow.
    lua_newtable(L);
    lua_newtable(L);
    lua_pushstring(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, kWorkflowMark);

    // From now on the sandbox table is the global table of every chunk loaded.
    lua_pushvalue(L, G);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pop(L, 1);  // full

    // The prelude runs before the globals are locked.
    if (luaL_loadbufferx(L, kPreludeLua, std::strlen(kPreludeLua), "@scripts/prelude.lua", "t") !=
        LUA_OK) {
      return lua_error(L);
    }
    lua_call(L, 0, 0);

    // Lock the globals.
    lua_newtable(L);
    lua_pushcfunction(L, &locked_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, &locked_index);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, G);
    return 0;
  };
  lua_pushcfunction(L_, &Internals::msgh);
  lua_pushcfunction(L_, setup);
  if (lua_pcall(L_, 0, 0, -2) != LUA_OK) {
    std::string msg = lua_tostring(L_, -1) ? lua_tostring(L_, -1) : "unknown error";
    return Status::internal("cannot set up the Lua sandbox: " + msg);
  }
  lua_pop(L_, 1);
  return Status::ok();
}

WorkflowLoad LuaHost::load_workflow(const std::string& path, const std::string& display_name) {
  WorkflowLoad out;
  bool ok = false;
  std::string source = read_file(path, &ok);
  if (!ok) {
    out.problems.push_back({display_name, 0, "cannot read the file: " + std::string(std::strerror(errno))});
    return out;
  }
  // A UTF-8 byte-order mark (Windows editors write one) is not Lua.
  size_t skip = source.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  ActiveScope scope(this, &run_thread_);
  if (stopping()) arm_stop_hooks();
  lua_settop(L_, 0);
  lua_pushcfunction(L_, &Internals::msgh);
  std::string chunkname = "@" + display_name;
  if (luaL_loadbufferx(L_, source.data() + skip, source.size() - skip, chunkname.c_str(), "t") !=
      LUA_OK) {
    // "file.lua:3: '=' expected near 'x'": split into file, line and message.
    out.problems.push_back(diagnostic_from_lua_message(display_name, lua_tostring(L_, -1)));
    lua_settop(L_, 0);
    return out;
  }
  if (lua_pcall(L_, 0, 1, 1) != LUA_OK) {
    out.problems.push_back(diagnostic_from_lua_message(display_name, error_message_));
    lua_settop(L_, 0);
    return out;
  }
  lua_getfield(L_, LUA_REGISTRYINDEX, kWorkflowMark);
  lua_pushvalue(L_, -2);
  int marked = lua_rawget(L_, -2);
  int line = marked == LUA_TNUMBER ? static_cast<int>(lua_tointeger(L_, -1)) : 0;
  lua_pop(L_, 2);
  if (marked == LUA_TNIL) {
    out.problems.push_back({display_name, 0,
                            std::string("the file must return jimu.workflow{...}, but it returned ") +
                                (lua_istable(L_, -1) ? "a plain table" : luaL_typename(L_, -1))});
    lua_settop(L_, 0);
    return out;
  }
  WorkflowDef def;
  def.line = line;
  validate_workflow_table(L_, lua_gettop(L_), display_name, source, line, &def, &out.problems);
  if (out.problems.empty()) {
    lua_pushvalue(L_, -1);
    workflow_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  }
  // The definition is returned even with problems, so callers can check it further (e.g. the
  // operation against the registry) and report every mistake at once; only a clean one can run.
  out.def = std::move(def);
  lua_settop(L_, 0);
  return out;
}

std::optional<ScriptError> LuaHost::run(const RunSpec& spec) {
  ActiveScope scope(this, &run_thread_);
  if (stopping()) arm_stop_hooks();
  lua_settop(L_, 0);
  lua_pushcfunction(L_, &Internals::msgh);
  lua_rawgeti(L_, LUA_REGISTRYINDEX, workflow_ref_);
  if (!lua_istable(L_, -1)) {
    return ScriptError{"no workflow is loaded", "", false};
  }
  lua_getfield(L_, -1, "run");
  lua_remove(L_, -2);

  // ctx
  lua_createtable(L_, 0, 6);
  lua_createtable(L_, 0, static_cast<int>(spec.params.size()));
  for (const auto& [k, v] : spec.params) {
    push_param(L_, v);
    lua_setfield(L_, -2, k.c_str());
  }
  lua_setfield(L_, -2, "params");
  lua_pushinteger(L_, spec.run_id);
  lua_setfield(L_, -2, "run_id");
  lua_pushstring(L_, spec.workflow_id.c_str());
  lua_setfield(L_, -2, "workflow");
  lua_pushboolean(L_, spec.dry_run);
  lua_setfield(L_, -2, "dry_run");
  lua_pushlightuserdata(L_, spec.items);
  lua_pushcclosure(L_, &ctx_processed, 1);
  lua_setfield(L_, -2, "processed");
  lua_pushstring(L_, spec.out_dir.c_str());
  lua_pushcclosure(L_, &ctx_out, 1);
  lua_setfield(L_, -2, "out");
  if (spec.message) {
    // ctx.message = { uid, subject, ..., attachments = { { name, size, path } } } (mail triggers)
    lua_createtable(L_, 0, static_cast<int>(spec.message->fields.size()) + 1);
    for (const auto& [k, v] : spec.message->fields) {
      lua_pushlstring(L_, v.data(), v.size());
      lua_setfield(L_, -2, k.c_str());
    }
    lua_createtable(L_, static_cast<int>(spec.message->attachments.size()), 0);
    int i = 0;
    for (const auto& a : spec.message->attachments) {
      lua_createtable(L_, 0, 3);
      lua_pushstring(L_, a.name.c_str());
      lua_setfield(L_, -2, "name");
      lua_pushinteger(L_, a.size);
      lua_setfield(L_, -2, "size");
      lua_pushstring(L_, a.path.c_str());
      lua_setfield(L_, -2, "path");
      lua_rawseti(L_, -2, ++i);
    }
    lua_setfield(L_, -2, "attachments");
    lua_setfield(L_, -2, "message");
  }
  if (spec.file) {
    // ctx.file = { path, name, size } (file triggers)
    lua_createtable(L_, 0, 3);
    lua_pushstring(L_, spec.file->path.c_str());
    lua_setfield(L_, -2, "path");
    lua_pushstring(L_, spec.file->name.c_str());
    lua_setfield(L_, -2, "name");
    lua_pushinteger(L_, spec.file->size);
    lua_setfield(L_, -2, "size");
    lua_setfield(L_, -2, "file");
  }

  int rc = lua_pcall(L_, 1, 0, 1);
  std::optional<ScriptError> result;
  if (rc != LUA_OK || stopping()) {
    ScriptError e;
    e.stopped = stopping();
    if (e.stopped) {
      e.message = "run stopped: " + stop_reason();
    } else if (rc == LUA_ERRMEM) {
      e.message = "not enough memory";
    } else {
      e.message = error_message_;
    }
    e.traceback = error_traceback_;
    result = std::move(e);
  }
  lua_settop(L_, 0);
  lua_sethook(L_, nullptr, 0, 0);
  // Collect now, so that handles close (and files flush) inside the run, not at exit.
  lua_gc(L_, LUA_GCCOLLECT);
  return result;
}

}  // namespace jimu

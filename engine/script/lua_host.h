// LuaHost: one sandboxed Lua 5.4 state that loads and runs one workflow.
//
// The sandbox (DESIGN.md section 4): globals are an allow-list and locked after setup (assigning or
// reading an undeclared global raises); no io, os.execute, package, debug, dofile, loadfile,
// string.dump or binary chunks; `require` loads only modules shipped in scripts/; files are reached
// only through connectors, which ask FileAccess. Memory is capped by the allocator; time is capped
// by request_stop(), which a watchdog calls at the deadline. Once stopping, a hook raises on every
// Lua instruction of every running coroutine, so a pcall inside the script cannot swallow it.
//
// Threading: a host is used by one thread (the run's), except request_stop(), which any thread may
// call. It uses SIGUSR2 to reach the run's thread, as Lua's own interpreter uses SIGINT.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/script/host_services.h"
#include "engine/script/workflow_def.h"

struct lua_State;

namespace jimu {

// A module of the jimu table: open() pushes the module's table (jimu.csv, jimu.fs, ...).
// open is called with context as a light userdata in argument 1 (nil when null), so a module can
// keep configuration it is given by the composition root (e.g. mail accounts) as an upvalue.
// context is borrowed and must outlive every host that opens the module.
struct LuaModule {
  const char* name;
  int (*open)(lua_State* L);
  void* context = nullptr;
};

struct LuaHostOptions {
  size_t memory_limit_bytes = 512u << 20;  // default 512 MB
  std::string scripts_dir;                 // where `require` finds shipped modules
  std::vector<LuaModule> modules;          // besides log and workflow, which are built in
  HostServices services;                   // borrowed; must outlive the host
};

// The result of loading a workflow file: every problem found in it, and the definition as far as
// it could be read (present whenever the file returned jimu.workflow{...}; runnable only when
// problems is empty).
struct WorkflowLoad {
  std::optional<WorkflowDef> def;
  std::vector<Diagnostic> problems;
};

// What ctx holds during a run.
struct RunSpec {
  int64_t run_id = 0;
  std::string workflow_id;
  bool dry_run = false;
  std::map<std::string, ParamValue> params;
  std::string out_dir;                    // ctx:out(name) -> out_dir/name
  std::atomic<int64_t>* items = nullptr;  // ctx:processed(n) adds n; borrowed
  std::optional<TriggerMessage> message;  // ctx.message of a mail-triggered run
  std::optional<TriggerFile> file;        // ctx.file of a file-triggered run
};

// How a run of the script ended, when it did not succeed.
struct ScriptError {
  std::string message;    // "samples/a.lua:12: attempt to index a nil value (local 'row')"
  std::string traceback;  // Lua's stack traceback
  bool stopped = false;   // stopped by a limit (time or memory)
};

class LuaHost {
 public:
  static Result<std::unique_ptr<LuaHost>> create(const LuaHostOptions& options);
  ~LuaHost();
  LuaHost(const LuaHost&) = delete;
  LuaHost& operator=(const LuaHost&) = delete;

  // Loads and evaluates a workflow file; display_name is how messages name it (as the user
  // typed it). The file must return jimu.workflow{...}.
  WorkflowLoad load_workflow(const std::string& path, const std::string& display_name);

  // Runs the loaded workflow's run(ctx). Returns nullopt on success.
  std::optional<ScriptError> run(const RunSpec& spec);

  // Asks the run to stop with reason (e.g. "time limit of 30 s exceeded"). Thread-safe;
  // idempotent (the first reason wins).
  void request_stop(const std::string& reason);
  bool stopping() const { return stop_requested_.load(); }
  std::string stop_reason() const;

  size_t memory_used() const { return used_; }
  // The services lent to bindings (binding.h: services(L)).
  HostServices& services_for_bindings();
  lua_State* state() { return L_; }

  // Internal (used by the C callbacks of the host).
  struct Internals;

 private:
  explicit LuaHost(const LuaHostOptions& options);
  Status init();
  void arm_stop_hooks();  // on the run's thread only (signal handler, allocator, resume)

  LuaHostOptions options_;
  lua_State* L_ = nullptr;
  size_t used_ = 0;
  size_t cap_ = 0;
  bool memory_exceeded_ = false;
  std::atomic<bool> stop_requested_{false};
  mutable std::mutex stop_mutex_;
  std::string stop_reason_;
  std::atomic<unsigned long> run_thread_{0};  // pthread_t of the thread inside the host
  int workflow_ref_ = -2;                     // LUA_NOREF
  // Coroutines currently resumed (innermost last), so a stop reaches the one running.
  static constexpr int kMaxResumeDepth = 200;
  lua_State* resumed_[kMaxResumeDepth] = {};
  volatile int resumed_depth_ = 0;
  std::string error_message_;
  std::string error_traceback_;
};

}  // namespace jimu

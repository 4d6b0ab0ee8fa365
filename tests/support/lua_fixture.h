// LuaFixture: a sandboxed host over a TempDir, for tests of the script layer and of connectors'
// Lua bindings. run_body() wraps Lua statements into a workflow's run function and runs it.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/script/file_access.h"
#include "engine/script/lua_host.h"
#include "tests/support/temp_dir.h"

namespace jimu::testing {

class CapturedLog final : public LogSink {
 public:
  void write(LogLevel level, std::string_view message) override {
    lines.emplace_back(level, std::string(message));
  }
  std::vector<std::pair<LogLevel, std::string>> lines;
};

class LuaFixture {
 public:
  explicit LuaFixture(std::vector<LuaModule> modules = {}, size_t memory_limit = 64u << 20,
                      bool dry_run = false)
      : modules_(std::move(modules)), memory_limit_(memory_limit), dry_run_(dry_run) {
    FileAccessOptions fo;
    fo.base_dir = dir.path();
    fo.read_roots = {dir.path()};
    fo.write_roots = {dir.file("out")};
    files = FileAccess(fo);
    reset();
  }

  // A fresh host (the previous one is closed).
  void reset() {
    LuaHostOptions o;
    o.memory_limit_bytes = memory_limit_;
    o.scripts_dir = dir.file("scripts");
    o.modules = modules_;
    o.services.files = &files;
    o.services.log = &log;
    o.services.dry_run = dry_run_;
    auto h = LuaHost::create(o);
    host = std::move(h).value();
  }

  WorkflowLoad load(const std::string& source, const std::string& name = "wf.lua") {
    return host->load_workflow(dir.write(name, source), name);
  }

  // Runs `body` as the run function of a minimal workflow; nullopt on success.
  std::optional<ScriptError> run_body(const std::string& body) {
    WorkflowLoad wl = load("return jimu.workflow { id = 't', name = 't', run = function(ctx)\n" +
                           body + "\nend }\n");
    if (!wl.problems.empty()) return ScriptError{wl.problems[0].to_string(), "", false};
    RunSpec spec;
    spec.run_id = 1;
    spec.workflow_id = "t";
    spec.out_dir = dir.file("out");
    spec.items = &items;
    spec.dry_run = dry_run_;
    return host->run(spec);
  }

  TempDir dir;
  FileAccess files;
  CapturedLog log;
  std::unique_ptr<LuaHost> host;
  std::atomic<int64_t> items{0};

 private:
  std::vector<LuaModule> modules_;
  size_t memory_limit_;
  bool dry_run_;
};

}  // namespace jimu::testing

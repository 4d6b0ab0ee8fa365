// Helpers for the Excel tests: running Debian's Python (openpyxl, the reader and writer jimu did
// not write) and running a Lua snippet inside a real LuaHost with jimu.xlsx loaded.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "connectors/xlsx/xlsx_lua.h"
#include "engine/script/file_access.h"
#include "engine/script/host_services.h"
#include "engine/script/lua_host.h"
#include "tests/support/temp_dir.h"

namespace jimu::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs /usr/bin/python3 (Debian's, with python3-openpyxl) on a script written into dir.
inline CommandResult run_python(const TempDir& dir, const std::string& script,
                                const std::string& args = "") {
  const std::string path = dir.write("helper.py", script);
  const std::string cmd =
      "cd '" + dir.path() + "' && /usr/bin/python3 '" + path + "' " + args + " 2>&1";
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CapturingLog : public LogSink {
 public:
  void write(LogLevel level, std::string_view message) override { lines.emplace_back(message); }
  std::vector<std::string> lines;
  std::string joined() const {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
  }
};

struct LuaRun {
  std::optional<ScriptError> error;  // nullopt: the snippet ran to its end
  std::string log;                   // jimu.log lines, one per line
  std::string load_problems;
};

// Runs body as the run function of a workflow whose folder (reads and writes) is dir.
inline LuaRun run_lua(const TempDir& dir, const std::string& body) {
  LuaRun out;
  const std::string file = dir.write("t.lua",
                                     "return jimu.workflow { id = \"t\", name = \"t\",\n"
                                     "run = function(ctx)\n" +
                                         body + "\nend }\n");
  FileAccessOptions fo;
  fo.base_dir = dir.path();
  fo.read_roots = {dir.path()};
  fo.write_roots = {dir.path()};
  FileAccess files(fo);
  CapturingLog log;
  LuaHostOptions ho;
  ho.modules = {{"xlsx", &open_xlsx_module}};
  ho.services.files = &files;
  ho.services.log = &log;
  ho.services.temp_dir = dir.path();
  ho.scripts_dir = std::string(JIMU_SOURCE_DIR) + "/scripts";
  auto host = LuaHost::create(ho);
  if (!host) {
    out.load_problems = host.status().message();
    return out;
  }
  WorkflowLoad wl = (*host)->load_workflow(file, "t.lua");
  for (const auto& p : wl.problems) out.load_problems += p.message + "\n";
  if (!wl.def) return out;
  RunSpec spec;
  spec.workflow_id = "t";
  spec.out_dir = dir.path();
  std::atomic<int64_t> items{0};
  spec.items = &items;
  out.error = (*host)->run(spec);
  host->reset();  // handles are released (and logged) before the log is read
  out.log = log.joined();
  return out;
}

}  // namespace jimu::testing

// Runner: loads a workflow, validates it against the registry, runs it in a sandboxed Lua host
// and records the run in the store. DESIGN.md sections 3 and 4.
//
// A run is recorded as running before the script starts (with the identity of this process, so a
// later jimu can tell it was interrupted if this process dies), heartbeats its item count and log
// lines every few seconds, and ends succeeded or failed in one transaction with its audit entry.
// A watchdog thread stops the script at its time limit; the memory cap is the host's.
// Events go to an optional RunListener (the CLI's progress line) without the runner knowing who
// listens. One Runner may serve runs one after another; run() blocks its calling thread.
#pragma once

#include <atomic>
#include <functional>
#include <string_view>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/status.h"
#include "engine/script/lua_host.h"
#include "engine/store/store.h"

namespace jimu {

struct RunnerOptions {
  Store* store = nullptr;  // borrowed; outlives the runner
  Clock* clock = nullptr;  // borrowed; outlives the runner
  std::string home_dir;    // outputs go to HOME/runs/ID/out (HOME/scratch/ID/out for dry runs)
  std::string scripts_dir; // shipped Lua modules for `require`
  std::vector<LuaModule> modules;
  std::vector<std::string> read_roots;   // besides the workflow's own folder
  std::vector<std::string> write_roots;  // besides the run's output folder (not in dry runs)
  size_t memory_limit_bytes = 512u << 20;  // default 512 MB per run
  double default_timeout_s = 3600;         // when the workflow declares none
  double max_timeout_s = 86400;            // a workflow may not ask for more
  double check_timeout_s = 10;             // evaluating a file for `jimu check`
  int heartbeat_ms = 2000;                 // items and log lines reach the store this often
  size_t max_log_lines = 10000;            // stored per run; the rest are counted
  // Applied to every log line before it is echoed or stored (the CLI masks マイナンバー); none
  // when empty.
  std::function<std::string(std::string_view)> log_filter;
  std::string actor;                       // who starts runs (OS user, "scheduler", ...)
  std::string owner;                       // ProcessIdentity of this process
};

struct RunRequest {
  std::string path;          // the workflow file
  std::string display_path;  // how messages name it; path when empty
  std::vector<std::pair<std::string, std::string>> params;  // --param k=v, in order
  bool dry_run = false;
  std::string trigger = "manual";
  // Mail-triggered runs (jimu poll): the message, claimed in the run's start transaction, and
  // handed to the script as ctx.message. begin_run fails with conflict when already claimed.
  std::optional<MailClaim> mail_claim;
  std::optional<TriggerMessage> message;
  std::vector<std::string> extra_read_roots;  // e.g. where the message's attachments were saved
  // Runs the scheduler starts: the job this run is an attempt of (linked in the start
  // transaction; conflict when the job is not running any more), and for file triggers the file.
  std::optional<int64_t> job_id;
  std::optional<TriggerFile> file;
};

struct RunOutcome {
  int64_t run_id = 0;
  RunStatus status = RunStatus::kFailed;
  int64_t items = 0;
  int64_t duration_ms = 0;
  std::string error;
  std::string traceback;
  std::string out_dir;
  std::string workflow_id;
};

class RunListener {
 public:
  virtual ~RunListener() = default;
  virtual void on_started(int64_t run_id, const WorkflowDef& def, const std::string& out_dir) {}
  virtual void on_log(LogLevel level, const std::string& message) {}  // the run's thread
  virtual void on_progress(int64_t items, int64_t elapsed_ms) {}      // the watchdog thread
  virtual void on_finished(const RunOutcome& outcome) {}
};

class Runner {
 public:
  explicit Runner(RunnerOptions options);

  // Validates the file without running it: every problem, one Diagnostic each.
  // When def is given it receives the definition as far as it could be read.
  std::vector<Diagnostic> check(const std::string& path, const std::string& display_path,
                                WorkflowDef* def = nullptr);

  // Runs a workflow. An error Status (code invalid) means the workflow was not run: its message
  // lists every problem, one per line. Otherwise the outcome says how the run ended.
  Result<RunOutcome> run(const RunRequest& request, RunListener* listener = nullptr);

  // Stops the current run (if any) with reason; thread-safe.
  void cancel(const std::string& reason);

 private:
  struct Loaded;
  std::unique_ptr<Loaded> load(const std::string& path, const std::string& display,
                               std::vector<Diagnostic>* problems, FileAccess* files,
                               HostServices* services, double load_timeout_s);

  RunnerOptions options_;
  std::mutex current_mutex_;
  LuaHost* current_ = nullptr;
};

}  // namespace jimu

#include "engine/runner/runner.h"

#include <condition_variable>
#include <filesystem>
#include <thread>

#include "engine/core/json_writer.h"
#include "engine/script/file_access.h"

namespace fs = std::filesystem;

namespace jimu {
namespace {

// Collects a run's log lines for the store (bounded) and echoes them to the listener.
class RunLog final : public LogSink {
 public:
  RunLog(const Clock& clock, RunListener* listener, size_t max_lines,
         const std::function<std::string(std::string_view)>& filter)
      : clock_(clock), listener_(listener), max_lines_(max_lines), filter_(filter) {}

  void write(LogLevel level, std::string_view message) override {
    std::string text = filter_ ? filter_(message) : std::string(message);
    if (listener_) listener_->on_log(level, text);
    std::lock_guard<std::mutex> lock(mutex_);
    if (stored_ >= max_lines_) {
      ++dropped_;
      return;
    }
    ++stored_;
    pending_.push_back({clock_.now_ms(), level, std::move(text)});
  }

  std::vector<LogLine> drain(bool final) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<LogLine> out;
    out.swap(pending_);
    if (final && dropped_ > 0) {
      out.push_back({clock_.now_ms(), LogLevel::kWarn,
                     std::to_string(dropped_) + " more log lines were not stored (limit " +
                         std::to_string(max_lines_) + " per run)"});
    }
    return out;
  }

 private:
  const Clock& clock_;
  RunListener* listener_;
  size_t max_lines_;
  const std::function<std::string(std::string_view)>& filter_;
  std::mutex mutex_;
  std::vector<LogLine> pending_;
  size_t stored_ = 0;
  size_t dropped_ = 0;
};

// Discards log lines (for `jimu check`, which evaluates the file but runs nothing).
class NullLog final : public LogSink {
 public:
  void write(LogLevel, std::string_view) override {}
};

// Sleeps until a deadline (then stops the host) while calling tick every interval.
class Watchdog {
 public:
  template <typename Tick>
  Watchdog(LuaHost& host, const Clock& clock, double timeout_s, int interval_ms, Tick tick)
      : thread_([this, &host, &clock, timeout_s, interval_ms, tick]() mutable {
          const int64_t start = clock.monotonic_ns();
          const int64_t deadline = start + static_cast<int64_t>(timeout_s * 1e9);
          std::unique_lock<std::mutex> lock(mutex_);
          while (!done_) {
            int64_t now = clock.monotonic_ns();
            if (now >= deadline) {
              host.request_stop("time limit of " + format_seconds(timeout_s) + " exceeded");
              // Keep ticking (heartbeats) while the script unwinds.
            }
            int64_t wait_ns = std::min<int64_t>(interval_ms * 1000000LL,
                                                now < deadline ? deadline - now : interval_ms * 1000000LL);
            cv_.wait_for(lock, std::chrono::nanoseconds(std::max<int64_t>(wait_ns, 1000000)));
            if (done_) break;
            lock.unlock();
            tick((clock.monotonic_ns() - start) / 1000000);
            lock.lock();
          }
        }) {}

  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  static std::string format_seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g s", s);
    return buf;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

std::string params_json(const std::map<std::string, ParamValue>& params) {
  JsonWriter w;
  w.begin_object();
  for (const auto& [k, v] : params) {
    w.key(k);
    if (const auto* s = std::get_if<std::string>(&v)) w.value(*s);
    else if (const auto* b = std::get_if<bool>(&v)) w.value(*b);
    else w.value(std::get<double>(v));
  }
  w.end_object();
  return w.str();
}

std::string join_problems(const std::vector<Diagnostic>& problems) {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "\n") + p.to_string();
  return out;
}

}  // namespace

struct Runner::Loaded {
  std::unique_ptr<LuaHost> host;
  WorkflowDef def;
};

Runner::Runner(RunnerOptions options) : options_(std::move(options)) {}

void Runner::cancel(const std::string& reason) {
  std::lock_guard<std::mutex> lock(current_mutex_);
  if (current_ != nullptr) current_->request_stop(reason);
}

std::unique_ptr<Runner::Loaded> Runner::load(const std::string& path, const std::string& display,
                                             std::vector<Diagnostic>* problems, FileAccess* files,
                                             HostServices* services, double load_timeout_s) {
  LuaHostOptions ho;
  ho.memory_limit_bytes = options_.memory_limit_bytes;
  ho.scripts_dir = options_.scripts_dir;
  ho.modules = options_.modules;
  ho.services = *services;
  ho.services.files = files;
  auto host = LuaHost::create(ho);
  if (!host) {
    problems->push_back({display, 0, host.status().message()});
    return nullptr;
  }
  WorkflowLoad wl;
  {
    {
      std::lock_guard<std::mutex> lock(current_mutex_);
      current_ = host->get();
    }
    Watchdog dog(**host, *options_.clock, load_timeout_s, 1000, [](int64_t) {});
    wl = (*host)->load_workflow(path, display);
    std::lock_guard<std::mutex> lock(current_mutex_);
    current_ = nullptr;
  }
  for (auto& p : wl.problems) problems->push_back(std::move(p));
  if (!wl.def) return nullptr;
  const WorkflowDef& def = *wl.def;
  if (def.operation) {
    auto op = options_.store->find_operation(*def.operation);
    if (!op) {
      problems->push_back({display, def.operation_line, op.status().message()});
    } else if (!op->has_value()) {
      problems->push_back({display, def.operation_line,
                           "operation '" + *def.operation +
                               "' is not registered (register it first: jimu operations add " +
                               *def.operation + " --name ... --division ... --kind rpa)"});
    }
  }
  if (def.timeout_s && *def.timeout_s > options_.max_timeout_s) {
    problems->push_back({display, def.line,
                         "timeout of " + Watchdog::format_seconds(*def.timeout_s) +
                             " is longer than the configured maximum of " +
                             Watchdog::format_seconds(options_.max_timeout_s)});
  }
  if (!problems->empty()) return nullptr;
  auto loaded = std::make_unique<Loaded>();
  loaded->host = std::move(host).value();
  loaded->def = def;
  return loaded;
}

std::vector<Diagnostic> Runner::check(const std::string& path, const std::string& display_path,
                                      WorkflowDef* def) {
  std::vector<Diagnostic> problems;
  fs::path base = fs::absolute(path).parent_path();
  FileAccessOptions fo;
  fo.base_dir = base.string();
  fo.read_roots = options_.read_roots;
  fo.read_roots.push_back(base.string());
  FileAccess files(fo);
  NullLog log;
  HostServices services;
  services.log = &log;
  services.dry_run = true;
  auto loaded = load(path, display_path.empty() ? path : display_path, &problems, &files, &services,
                     options_.check_timeout_s);
  if (def && loaded) *def = loaded->def;
  return problems;
}

Result<RunOutcome> Runner::run(const RunRequest& request, RunListener* listener) {
  const std::string display = request.display_path.empty() ? request.path : request.display_path;
  fs::path base = fs::absolute(request.path).parent_path();
  FileAccessOptions fo;
  fo.base_dir = base.string();
  fo.read_roots = options_.read_roots;
  fo.read_roots.push_back(base.string());
  for (const auto& r : request.extra_read_roots) fo.read_roots.push_back(r);
  if (!request.dry_run) fo.write_roots = options_.write_roots;
  FileAccess files(fo);
  RunLog log(*options_.clock, listener, options_.max_log_lines, options_.log_filter);
  HostServices services;
  services.log = &log;
  services.dry_run = request.dry_run;

  std::vector<Diagnostic> problems;
  const double timeout_s = options_.default_timeout_s;
  auto loaded = load(request.path, display, &problems, &files, &services, options_.check_timeout_s);
  if (!loaded) return Status::invalid(join_problems(problems));
  const WorkflowDef& def = loaded->def;

  // Parameters: declared defaults, overridden by --param.
  std::map<std::string, ParamValue> params = def.params;
  for (const auto& [k, v] : request.params) {
    auto it = def.params.find(k);
    if (it == def.params.end()) {
      std::string declared;
      for (const auto& [name, _] : def.params) declared += (declared.empty() ? "" : ", ") + name;
      problems.push_back({display, def.line,
                          "unknown parameter '" + k + "' (the workflow declares: " +
                              (declared.empty() ? "none" : declared) + ")"});
      continue;
    }
    std::string error;
    auto converted = convert_param(it->second, v, &error);
    if (!converted) {
      problems.push_back({display, def.line, "parameter '" + k + "': " + error});
      continue;
    }
    params[k] = *converted;
  }
  if (!problems.empty()) return Status::invalid(join_problems(problems));

  // Record the run, then make its output folder.
  RunStart start;
  start.workflow_id = def.id;
  start.workflow_name = def.name;
  start.workflow_path = fs::absolute(request.path).lexically_normal().string();
  start.operation = def.operation;
  start.trigger = request.trigger;
  start.dry_run = request.dry_run;
  start.params_json = params_json(params);
  start.actor = options_.actor;
  start.owner = options_.owner;
  start.started_at = options_.clock->now_ms();
  start.mail_claim = request.mail_claim;
  start.job_id = request.job_id;
  auto run_id = options_.store->begin_run(start);
  if (!run_id) return run_id.status();

  RunOutcome outcome;
  outcome.run_id = *run_id;
  outcome.workflow_id = def.id;
  fs::path out_dir = fs::path(options_.home_dir) / (request.dry_run ? "scratch" : "runs") /
                     std::to_string(*run_id) / "out";
  outcome.out_dir = out_dir.string();
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  files.add_write_root(out_dir.string());
  // Connectors that write files of their own (mail: .eml in dry runs, attachments) put them here.
  loaded->host->services_for_bindings().out_dir = out_dir.string();
  // Scratch space for connectors (libxlsxwriter's staging files), beside out/, gone after the run.
  const fs::path temp_dir = out_dir.parent_path() / "tmp";
  if (fs::create_directories(temp_dir, ec) || fs::is_directory(temp_dir)) {
    loaded->host->services_for_bindings().temp_dir = temp_dir.string();
  }
  ec.clear();
  if (listener) listener->on_started(*run_id, def, outcome.out_dir);

  std::atomic<int64_t> items{0};
  std::optional<ScriptError> error;
  const int64_t t0 = options_.clock->monotonic_ns();
  if (ec) {
    error = ScriptError{out_dir.string() + ": cannot create the output folder: " + ec.message(), "",
                        false};
  } else {
    const double run_timeout = std::min(def.timeout_s.value_or(timeout_s), options_.max_timeout_s);
    RunSpec spec;
    spec.run_id = *run_id;
    spec.workflow_id = def.id;
    spec.dry_run = request.dry_run;
    spec.params = params;
    spec.out_dir = outcome.out_dir;
    spec.items = &items;
    spec.message = request.message;
    spec.file = request.file;
    {
      std::lock_guard<std::mutex> lock(current_mutex_);
      current_ = loaded->host.get();
    }
    {
      Watchdog dog(*loaded->host, *options_.clock, run_timeout, options_.heartbeat_ms,
                   [&](int64_t elapsed_ms) {
                     int64_t n = items.load(std::memory_order_relaxed);
                     // A failed heartbeat is not fatal: the final write retries everything.
                     (void)options_.store->heartbeat(*run_id, n, log.drain(false));
                     if (listener) listener->on_progress(n, elapsed_ms);
                   });
      error = loaded->host->run(spec);
    }
    std::lock_guard<std::mutex> lock(current_mutex_);
    current_ = nullptr;
  }
  outcome.items = items.load();
  outcome.duration_ms = (options_.clock->monotonic_ns() - t0) / 1000000;
  if (error) {
    outcome.status = RunStatus::kFailed;
    outcome.error = error->message;
    outcome.traceback = error->traceback;
  } else {
    outcome.status = RunStatus::kSucceeded;
  }
  // Drop the Lua state first, so that handles close (and files flush) before the run is final.
  loaded.reset();
  fs::remove_all(temp_dir, ec);
  Status s = options_.store->finish_run(*run_id, outcome.status, outcome.items,
                                        options_.clock->now_ms(), outcome.error, outcome.traceback,
                                        log.drain(true));
  if (!s) return s.with_prefix("run " + std::to_string(*run_id) + " ended but was not recorded");
  if (listener) listener->on_finished(outcome);
  return outcome;
}

}  // namespace jimu

// jimu run and jimu check.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>

#include "cli/app.h"
#include "engine/calendar/local_time.h"
#include "engine/core/json_writer.h"

namespace fs = std::filesystem;

namespace jimu::cli {
namespace {

const CmdSpec kRunSpec = {
    "run",
    "FILE.lua [--param K=V ...] [--dry-run]",
    "Loads, validates and runs a workflow, recording the run in the store.\n"
    "Exit status: 0 when the run succeeded, 1 when it failed, 2 when the workflow is invalid or\n"
    "the command is misused (then nothing ran).",
    {{"param", "K=V", "set a parameter the workflow declares in params", true},
     {"dry-run", "", "do everything except external effects: outputs go to a scratch folder, "
                     "and the run counts toward no KPI"},
     {"quiet", "", "do not echo log lines"},
     {"format", "FORMAT", "text (default) or json: how to print the outcome"},
     {"job", "ID", "run an attempt of the scheduler's job ID instead of FILE (jimu serve uses this)"}},
    "Examples:\n  jimu run samples/window-tally/window-tally.lua\n"
    "  jimu run debit-check.lua --param input=in/2026-11.csv --dry-run",
    0, 1};

const CmdSpec kCheckSpec = {
    "check",
    "FILE.lua...",
    "Validates workflows without running them: syntax, the jimu.workflow table, unknown keys,\n"
    "and operations that are not registered. One line per mistake, as FILE:LINE: message.\n"
    "Exit status: 0 when every file is valid, 2 otherwise.",
    {},
    "",
    1, 1000};

// Echoes log lines and, on a terminal, keeps a progress line at the bottom.
class TerminalListener final : public RunListener {
 public:
  TerminalListener(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO) == 1) {}

  void on_started(int64_t run_id, const WorkflowDef& def, const std::string&) override {
    if (!quiet_) std::fprintf(stderr, "run %lld: %s (%s)\n", static_cast<long long>(run_id), def.name.c_str(), def.id.c_str());
  }
  void on_log(LogLevel level, const std::string& message) override {
    if (quiet_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    clear_progress();
    std::fprintf(stderr, "  [%s] %s\n", log_level_name(level), message.c_str());
  }
  void on_progress(int64_t items, int64_t elapsed_ms) override {
    if (!tty_ || elapsed_ms < 1000) return;
    std::lock_guard<std::mutex> lock(mutex_);
    std::fprintf(stderr, "\r  処理中 %lld 件  %s   ", static_cast<long long>(items),
                 format_duration_ms(elapsed_ms).c_str());
    std::fflush(stderr);
    progress_shown_ = true;
  }
  void on_finished(const RunOutcome&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    clear_progress();
  }

 private:
  void clear_progress() {
    if (progress_shown_) std::fprintf(stderr, "\r\033[K");
    progress_shown_ = false;
  }
  bool quiet_;
  bool tty_;
  bool progress_shown_ = false;
  std::mutex mutex_;
};

// Turns SIGINT and SIGTERM into a cancelled run (recorded as failed) instead of a dead process.
// The signals are blocked in every thread and taken by one waiting thread; SIGUSR1 (sent by the
// destructor) tells it to end, so exit does not wait for a timeout.
class SignalCanceller {
 public:
  explicit SignalCanceller(Runner& runner) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
    thread_ = std::thread([&runner, set] {
      for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0 || sig == SIGUSR1) return;
        runner.cancel(std::string("cancelled by ") + (sig == SIGINT ? "SIGINT (Ctrl-C)" : "SIGTERM"));
      }
    });
  }
  ~SignalCanceller() {
    pthread_kill(thread_.native_handle(), SIGUSR1);
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_;
  std::thread thread_;
};

// An attempt of a scheduled job: the workflow, parameters and trigger the job records. The job's
// claim is checked again when the run starts (Store::begin_run), in the same transaction.
Status request_for_job(App& app, const std::string& id_text, RunRequest* req, std::string* actor) {
  char* end = nullptr;
  long long id = std::strtoll(id_text.c_str(), &end, 10);
  if (id_text.empty() || *end != '\0' || id <= 0) {
    return Status::invalid("--job expects a job number, not '" + id_text + "'");
  }
  auto job = app.store->find_job(id);
  if (!job) return job.status();
  if (!*job) return Status::invalid("job " + id_text + " does not exist");
  const JobRecord& j = **job;
  if (j.state != JobState::kRunning) {
    return Status::conflict("job " + id_text + " is " + job_state_name(j.state) +
                            ", not claimed by jimu serve");
  }
  req->path = j.workflow_path;
  req->job_id = j.id;
  req->trigger = j.trigger;
  *actor = j.actor;
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(j.params_json).extract<Poco::JSON::Object::Ptr>();
    for (const auto& name : object->getNames()) {
      req->params.emplace_back(name, object->getValue<std::string>(name));
    }
  } catch (const Poco::Exception& e) {
    return Status::parse("job " + id_text + ": its parameters are not a JSON object: " + e.displayText());
  }
  if (!j.file.empty()) {
    fs::path file(j.file);
    std::error_code ec;
    auto size = fs::file_size(file, ec);
    req->file = TriggerFile{j.file, file.filename().string(), ec ? 0 : static_cast<long long>(size)};
    req->extra_read_roots.push_back(file.parent_path().string());
  }
  return Status::ok();
}

}  // namespace

int cmd_run(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kRunSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  RunRequest req;
  if (!args->positional.empty()) req.path = args->positional[0];
  req.dry_run = args->has("dry-run");
  for (const auto& kv : args->all("param")) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return fail("--param expects NAME=VALUE, got '" + kv + "'", kExitUsage);
    }
    req.params.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto options = (*app)->runner_options();
  if (!options) return fail(options.status());
  if (auto job = args->get("job")) {
    if (!args->positional.empty() || !req.params.empty()) {
      return fail("--job takes the workflow and its parameters from the job: give no FILE or --param",
                  kExitUsage);
    }
    Status s = request_for_job(**app, *job, &req, &options->actor);
    if (!s) return fail(s);
  } else if (args->positional.empty()) {
    return fail("run: which workflow? (jimu run FILE.lua)", kExitUsage);
  }
  Runner runner(std::move(options).value());
  TerminalListener listener(args->has("quiet"));
  Result<RunOutcome> outcome = Status::internal("not run");
  {
    SignalCanceller canceller(runner);
    outcome = runner.run(req, &listener);
  }
  if (!outcome) {
    if (outcome.status().code() == Code::kInvalid) {
      std::cerr << outcome.status().message() << "\n";
      return kExitUsage;
    }
    return fail(outcome.status());
  }
  const RunOutcome& o = *outcome;
  if (*format == "json") {
    JsonWriter w;
    w.begin_object()
        .field("run_id", o.run_id)
        .field("workflow", o.workflow_id)
        .field("status", run_status_name(o.status))
        .field("items", o.items)
        .field("duration_ms", o.duration_ms)
        .field("dry_run", req.dry_run)
        .field("out_dir", o.out_dir);
    if (!o.error.empty()) w.field("error", o.error);
    w.end_object();
    std::cout << w.str() << "\n";
  } else {
    std::cout << "run " << o.run_id << " " << run_status_name(o.status) << (req.dry_run ? " (dry run)" : "")
              << ": " << o.items << " items in " << format_duration_ms(o.duration_ms) << "\n";
    if (!o.error.empty()) std::cout << "  error: " << o.error << "\n";
    std::cout << "  outputs: " << o.out_dir << "\n";
    std::cout << "  history: jimu show " << o.run_id << " --home " << (*app)->home << "\n";
  }
  return o.status == RunStatus::kSucceeded ? kExitOk : kExitFailed;
}

int cmd_check(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kCheckSpec, argv, &code);
  if (!args) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto options = (*app)->runner_options();
  if (!options) return fail(options.status());
  Runner runner(std::move(options).value());
  int bad = 0;
  for (const auto& file : args->positional) {
    auto problems = runner.check(file, file);
    for (const auto& p : problems) std::cout << p.to_string() << "\n";
    if (problems.empty()) std::cout << file << ": ok\n";
    else ++bad;
  }
  return bad == 0 ? kExitOk : kExitUsage;
}

}  // namespace jimu::cli

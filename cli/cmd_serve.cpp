// jimu serve: the scheduler daemon (DESIGN.md section 7), in the foreground (deploy/ has the
// systemd unit).
//
// One loop, woken by signals (signalfd), file arrivals (inotify) and its own deadlines; it sleeps
// until the next thing is due, so an idle daemon costs nothing. Each turn: turn due cron fires into
// jobs, notice arrived files, claim what may start (limits), start each attempt as a child
// `jimu run --job ID` in its own process group (a crash or a memory blow-up of one run cannot
// take the daemon down), and settle the attempts that ended: done, retry later, or give up and
// mail the owner. Jobs are claims in the store, renewed by a heartbeat; see Dispatcher.
//
// Stopping: SIGTERM (or Ctrl-C) stops claiming; running attempts get [serve] grace to finish;
// then they are killed and their runs recorded as interrupted (retried at the next start when the
// workflow allows retries). SIGHUP: look at the store now (jimu schedule sends it).
// After a SIGKILL of the daemon its children run on; the next daemon adopts their jobs and
// settles them when their runs end, so nothing runs twice and nothing is lost.
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "cli/scheduling.h"
#include "cli/web_setup.h"
#include "engine/web/schedule_pages.h"
#include "connectors/mail/mail_compose.h"
#include "connectors/mail/smtp_sender.h"
#include "engine/calendar/local_time.h"
#include "engine/core/process_identity.h"

namespace fs = std::filesystem;

namespace jimu::cli {
namespace {

const CmdSpec kServeSpec = {
    "serve",
    "[--max-runs N] [--listen ADDR:PORT] [--no-web]",
    "Runs the scheduler in the foreground: cron schedules on the business-day calendar, file and\n"
    "mail triggers, retries, time limits and failure mail (see jimu schedule). One daemon per home\n"
    "on the embedded store; a second one is refused.\n"
    "Signals: SIGTERM or Ctrl-C stops taking new runs and lets running ones finish within\n"
    "[serve] grace, then records what is left as interrupted. SIGHUP re-reads the schedules.",
    {{"max-runs", "N", "runs at once (default: [serve] max_runs of jimu.conf, 4)"},
     {"listen", "ADDR:PORT", "where the web pages listen (default [web] listen, 127.0.0.1:8470)"},
     {"no-web", "", "run the scheduler only, without the web pages"}},
    "The web pages (dashboard, runs, schedules, approval inbox; see jimu web --help) are served\n"
    "next to the scheduler unless --no-web.\n"
    "Settings ([serve] in jimu.conf): max_runs, grace, lease, poll, mail_account, timezone.\n"
    "As a service: deploy/jimu.service (systemd).",
    0, 0};

// How soon a node looks again at ready jobs it could not claim (limits full): other nodes
// ending their runs free room without telling this one.
constexpr int64_t kBlockedRetryMs = 200;

// Daemon log lines carry local time (the schedules' time), as every other jimu listing does.
std::string stamp(int64_t ms) { return format_local_time(ms); }

bool temporary_name(const std::string& name) {
  auto ends = [&](const char* suffix) {
    size_t n = std::strlen(suffix);
    return name.size() >= n && name.compare(name.size() - n, n, suffix) == 0;
  };
  return name.empty() || name[0] == '.' || ends(".tmp") || ends(".part") || ends("~");
}

std::string tail_of(const std::string& path, size_t max = 600) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > max) text = "..." + text.substr(text.size() - max);
  return text;
}

class Daemon {
 public:
  // web: the server options when the web pages are served too.
  Daemon(App& app, ServeSettings settings, double default_timeout_s,
         std::optional<web::WebServerOptions> web)
      : app_(app),
        web_options_(std::move(web)),
        settings_(std::move(settings)),
        default_timeout_s_(default_timeout_s),
        calendars_(*app.calendar),
        dispatcher_(*app.store, *app.clock, calendars_.lookup(), dispatcher_options()) {}

  ~Daemon() {
    for (auto& t : notifiers_) t.join();
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    if (signal_fd_ >= 0) ::close(signal_fd_);
  }

  int run();

 private:
  struct Child {
    pid_t pid = 0;
    JobRecord job;                 // as claimed
    int64_t started_ms = 0;
    int64_t deadline_ms = 0;       // killed after this
    std::string log_path;
    std::string killed_because;    // set when the daemon killed it
  };
  struct Candidate {
    int64_t size = -1;
    int64_t mtime_ns = 0;
    int64_t since_ms = 0;          // unchanged since
  };
  struct FileWatch {
    ScheduleRecord schedule;
    int wd = -1;
    std::map<std::string, Candidate> candidates;  // by file name
  };
  struct MailPoll {
    ScheduleRecord schedule;
    int64_t next_ms = 0;
    pid_t pid = 0;
  };

  DispatcherOptions dispatcher_options() const {
    DispatcherOptions o;
    o.node = settings_.node;
    o.global_limit = settings_.max_runs;
    o.lease_ms = static_cast<int64_t>(settings_.lease_s * 1000);
    o.utc_offset_minutes = settings_.utc_offset_minutes;
    return o;
  }
  int64_t now() const { return app_.clock->now_ms(); }
  void log(const std::string& line) const {
    std::cerr << stamp(now()) << " " << line << std::endl;
  }

  bool setup(std::string* error);
  void reload(bool forced);
  void adopt_or_settle_own();
  void turn();
  void start(const JobRecord& job);
  pid_t spawn(const std::vector<std::string>& args, const std::string& log_path);
  void reap();
  void finish(Child child, int wait_status);
  void settle(const JobRecord& job, std::optional<RunRecord> run, const std::string& no_run,
              bool retry_may_help);
  void check_adopted();
  void take_over_stale();
  void scan_files();
  void poll_mail();
  void heartbeat();
  void stop_remaining();
  void notify_owner(const JobRecord& job, const std::optional<RunRecord>& run, const Settlement& s);
  int64_t next_wake() const;
  void handle_signals();
  void drain_inotify();

  App& app_;
  std::optional<web::WebServerOptions> web_options_;
  std::unique_ptr<web::WebApp> web_app_;
  std::unique_ptr<web::WebServer> web_server_;
  ServeSettings settings_;
  double default_timeout_s_;
  Calendars calendars_;
  Dispatcher dispatcher_;
  std::string exe_;
  int lock_fd_ = -1;
  int signal_fd_ = -1;
  int inotify_fd_ = -1;
  std::map<pid_t, Child> children_;
  std::map<int64_t, JobRecord> adopted_;  // job id -> job whose run outlived an earlier daemon
  std::map<std::string, FileWatch> files_;  // by schedule id
  std::map<std::string, MailPoll> mail_;    // by schedule id
  std::set<std::string> files_seen_;        // fire keys already made jobs
  bool files_dirty_ = true;
  bool reload_due_ = true;
  bool stopping_ = false;
  int64_t stop_deadline_ = 0;
  int64_t next_reload_ = 0;
  int64_t next_beat_ = 0;
  int64_t started_at_ = 0;
  int64_t last_claim_ = 0;  // when this node last tried to claim jobs
  std::vector<std::thread> notifiers_;
};

bool Daemon::setup(std::string* error) {
  // One daemon per home: a lock held while it lives, with its pid for `jimu schedule` to wake it.
  const std::string lock_path = serve_lock_path(app_.home);
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) {
    *error = lock_path + ": " + std::strerror(errno);
    return false;
  }
  if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    ssize_t n = pread(lock_fd_, buf, sizeof buf - 1, 0);
    *error = "jimu serve is already running for " + app_.home +
             (n > 0 ? " (pid " + std::string(buf, strcspn(buf, "\n")) + ")" : std::string()) +
             ": one daemon per store; stop it first (kill -TERM PID or systemctl stop jimu)";
    return false;
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(lock_fd_, 0) != 0 || pwrite(lock_fd_, pid.data(), pid.size(), 0) < 0) {
    *error = lock_path + ": cannot write the pid: " + std::strerror(errno);
    return false;
  }
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) {
    *error = "cannot find the jimu executable (/proc/self/exe)";
    return false;
  }
  exe_.assign(exe, static_cast<size_t>(n));

  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, sig);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  signal_fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (signal_fd_ < 0) {
    *error = std::string("signalfd: ") + std::strerror(errno);
    return false;
  }
  fs::create_directories(app_.home + "/serve");
  if (web_options_) {
    // Started after the signals are blocked: the server's threads inherit the mask, so the stop
    // and wake signals reach only the loop's signalfd.
    web::SchedulePagesOptions so;
    so.calendars = &calendars_;
    so.utc_offset_minutes = settings_.utc_offset_minutes;
    so.wake = [] { kill(getpid(), SIGHUP); };
    auto app = make_web_app(app_, !web_options_->tls_cert.empty(),
                            {[so](web::WebApp& a) { web::add_schedule_pages(a, so); }});
    if (!app) {
      *error = app.status().message();
      return false;
    }
    web_app_ = std::move(app).value();
    web_server_ = std::make_unique<web::WebServer>(*web_options_, *web_app_);
    if (Status s = web_server_->start(); !s) {
      *error = "the web pages cannot start: " + s.message() + " (use --listen, or --no-web)";
      return false;
    }
  }
  return true;
}

// forced: a SIGHUP or the start; otherwise only when the store's schedules changed.
void Daemon::reload(bool forced) {
  if (forced) {
    if (Status s = dispatcher_.reload(); !s) {
      log("cannot read the schedules: " + s.message());
      return;
    }
  } else {
    auto changed = dispatcher_.refresh();
    if (!changed) {
      log("cannot read the schedules: " + changed.status().message());
      return;
    }
    if (!*changed) return;
  }
  for (const auto& p : dispatcher_.problems()) log("warning: " + p);
  // File and mail triggers follow the schedules.
  std::map<std::string, FileWatch> files;
  std::map<std::string, MailPoll> mail;
  for (const ScheduleRecord& s : dispatcher_.schedules()) {
    if (!s.enabled) continue;
    if (s.kind == "file") {
      FileWatch w;
      auto old = files_.find(s.id);
      if (old != files_.end() && old->second.schedule.folder == s.folder) {
        w = std::move(old->second);
        files_.erase(old);
      }
      w.schedule = s;
      if (w.wd < 0 && inotify_fd_ >= 0) {
        w.wd = inotify_add_watch(inotify_fd_, s.folder.c_str(),
                                 IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ATTRIB | IN_MODIFY);
      }
      files.emplace(s.id, std::move(w));
    } else if (s.kind == "mail") {
      MailPoll p;
      auto old = mail_.find(s.id);
      if (old != mail_.end()) p = old->second;
      p.schedule = s;
      mail.emplace(s.id, p);
    }
  }
  for (auto& [id, w] : files_) {
    if (w.wd >= 0) inotify_rm_watch(inotify_fd_, w.wd);
  }
  files_ = std::move(files);
  mail_ = std::move(mail);
  files_dirty_ = true;
}

// Jobs this node was running when an earlier daemon ended: adopt those whose run still goes on
// (its process outlived the daemon), settle the rest now rather than after the lease.
void Daemon::adopt_or_settle_own() {
  JobFilter f;
  f.states = {JobState::kRunning};
  f.node = settings_.node;
  f.limit = 100000;
  auto mine = app_.store->jobs(f);
  if (!mine) {
    log("cannot read this node's jobs: " + mine.status().message());
    return;
  }
  for (const JobRecord& j : *mine) {
    std::optional<RunRecord> run;
    if (j.run_id) {
      auto r = app_.store->get_run(*j.run_id);
      if (r) run = *r;
    }
    if (run && run->status == RunStatus::kRunning) {
      ProcessIdentity owner;
      if (ProcessIdentity::parse(run->owner, &owner) && process_is_alive(owner)) {
        log("job " + std::to_string(j.id) + ": run " + std::to_string(run->id) +
            " outlived the previous daemon; waiting for it");
        adopted_[j.id] = j;
        continue;
      }
    }
    settle(j, run, "the daemon ended before the run started", true);
  }
}

pid_t Daemon::spawn(const std::vector<std::string>& args, const std::string& log_path) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe_.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls until exec.
    setpgid(0, 0);  // Ctrl-C at the daemon's terminal must not reach the runs
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int in = ::open("/dev/null", O_RDONLY);
    if (out >= 0) {
      dup2(out, 1);
      dup2(out, 2);
    }
    if (in >= 0) dup2(in, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

void Daemon::start(const JobRecord& job) {
  const std::string log_path = app_.home + "/serve/job-" + std::to_string(job.id) + ".log";
  pid_t pid = spawn({"run", "--job", std::to_string(job.id), "--home", app_.home, "--quiet"}, log_path);
  if (pid < 0) {
    settle(job, std::nullopt, std::string("cannot start a process: ") + std::strerror(errno), true);
    return;
  }
  double limit_s = 0;
  for (const auto& s : dispatcher_.schedules()) {
    if (s.id == job.schedule_id) limit_s = s.timeout_s;
  }
  if (limit_s <= 0) limit_s = default_timeout_s_;
  Child c;
  c.pid = pid;
  c.job = job;
  c.started_ms = now();
  // The run stops itself at its limit; this is the backstop for a run that cannot stop.
  c.deadline_ms = c.started_ms + static_cast<int64_t>(limit_s * 1000) + 60000;
  c.log_path = log_path;
  log("job " + std::to_string(job.id) + " started: " + job.schedule_id + " (" + job.workflow_id +
      (job.nominal.empty() ? "" : ", " + job.nominal) + ", attempt " + std::to_string(job.attempt) +
      ", pid " + std::to_string(pid) + ")");
  children_.emplace(pid, std::move(c));
}

void Daemon::reap() {
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    auto it = children_.find(pid);
    if (it != children_.end()) {
      Child c = std::move(it->second);
      children_.erase(it);
      finish(std::move(c), status);
      continue;
    }
    for (auto& [id, p] : mail_) {
      if (p.pid == pid) {
        p.pid = 0;
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
          log("mail poll of " + id + " ended with status " + std::to_string(WEXITSTATUS(status)) +
              ": " + tail_of(app_.home + "/serve/poll-" + id + ".log", 300));
        }
      }
    }
  }
}

void Daemon::finish(Child c, int wait_status) {
  auto fresh = app_.store->find_job(c.job.id);
  JobRecord job = fresh && *fresh ? **fresh : c.job;
  std::optional<RunRecord> run;
  if (job.run_id && job.run_id != c.job.run_id) {  // this attempt got as far as a run
    auto r = app_.store->get_run(*job.run_id);
    if (r) run = *r;
  }
  std::string how = WIFSIGNALED(wait_status) ? "killed by signal " + std::to_string(WTERMSIG(wait_status))
                                             : "exit status " + std::to_string(WEXITSTATUS(wait_status));
  if (run && run->status == RunStatus::kRunning) {
    std::string why = c.killed_because.empty() ? "its process ended without finishing (" + how + ")"
                                               : c.killed_because;
    (void)app_.store->interrupt_run(run->id, why, "scheduler", now());
    auto r = app_.store->get_run(run->id);
    if (r) run = *r;
  }
  std::string no_run;
  bool retry_may_help = true;
  if (!run) {
    no_run = "the run did not start (" + how + "): " + tail_of(c.log_path);
    // Exit 2: the workflow is invalid (or the job was taken over); trying again cannot help.
    retry_may_help = !(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 2);
  }
  if (job.state != JobState::kRunning || job.node != settings_.node) {
    log("job " + std::to_string(job.id) + " was settled elsewhere (" + job_state_name(job.state) + ")");
    return;
  }
  settle(job, run, no_run, retry_may_help);
  if (run && run->status == RunStatus::kSucceeded) std::remove(c.log_path.c_str());
}

void Daemon::settle(const JobRecord& job, std::optional<RunRecord> run, const std::string& no_run,
                    bool retry_may_help) {
  auto s = dispatcher_.settle(job, run, no_run, retry_may_help);
  if (!s) {
    log("job " + std::to_string(job.id) + ": cannot record its end: " + s.status().message());
    return;
  }
  std::string what = std::string(job_state_name(s->state));
  log("job " + std::to_string(job.id) + " " + what + (run ? " (run " + std::to_string(run->id) + ")" : "") +
      (s->reason.empty() ? "" : ": " + s->reason));
  if (s->notify_owner) notify_owner(job, run, *s);
}

void Daemon::notify_owner(const JobRecord& job, const std::optional<RunRecord>& run,
                          const Settlement& s) {
  std::string owner;
  for (const auto& sch : dispatcher_.schedules()) {
    if (sch.id == job.schedule_id) owner = sch.owner;
  }
  if (owner.empty()) {
    log("job " + std::to_string(job.id) + ": the workflow names no owner to tell");
    return;
  }
  if (settings_.mail_account.empty() || !app_.mail_accounts ||
      !app_.mail_accounts->count(settings_.mail_account)) {
    log("job " + std::to_string(job.id) + ": cannot tell " + owner +
        ": set [serve] mail_account to a [mail.NAME] account of jimu.conf");
    return;
  }
  const mail::MailAccount account = app_.mail_accounts->at(settings_.mail_account);
  auto to = mail::parse_address(owner);
  if (!to) {
    log("job " + std::to_string(job.id) + ": owner '" + owner + "' is not a mail address");
    return;
  }
  mail::OutgoingMail m;
  auto from = mail::parse_address(account.from.empty() ? account.user : account.from);
  if (from) m.from = *from;
  m.to = {*to};
  std::string run_text = run ? "run " + std::to_string(run->id) : "job " + std::to_string(job.id);
  m.subject = "【jimu】失敗: " + job.schedule_id + " (" + run_text + ")";
  m.body = "jimu のスケジュール実行が失敗しました。 A scheduled run failed.\n\n"
           "スケジュール schedule: " + job.schedule_id + "\n"
           "ワークフロー workflow: " + job.workflow_id + " (" + job.workflow_path + ")\n"
           "予定時刻 due: " + stamp(job.due_at) + "\n"
           "試行 attempts: " + std::to_string(job.attempt) + "\n" +
           (run ? "実行 run: " + std::to_string(run->id) + "  (jimu show " + std::to_string(run->id) + ")\n" : "") +
           "状態 state: " + job_state_name(s.state) + "\n\n"
           "エラー error:\n" + s.reason + "\n";
  const std::string id = std::to_string(job.id);
  const std::string home = app_.home;
  notifiers_.emplace_back([m, account, owner, id, this] {
    auto composed = mail::compose(m);
    Status st = composed ? mail::send_mail(account, *composed) : composed.status();
    log(st ? "job " + id + ": told " + owner + " by mail"
           : "job " + id + ": could not mail " + owner + ": " + st.message());
  });
}

void Daemon::check_adopted() {
  for (auto it = adopted_.begin(); it != adopted_.end();) {
    const JobRecord& j = it->second;
    auto run = app_.store->get_run(*j.run_id);
    if (!run) {
      ++it;
      continue;
    }
    if (run->status == RunStatus::kRunning) {
      ProcessIdentity owner;
      if (ProcessIdentity::parse(run->owner, &owner) && process_is_alive(owner)) {
        ++it;
        continue;
      }
      (void)app_.store->interrupt_run(run->id, "its process ended without finishing", "scheduler", now());
      run = app_.store->get_run(run->id);
    }
    settle(j, run ? std::optional<RunRecord>(*run) : std::nullopt, "", true);
    it = adopted_.erase(it);
  }
}

// Jobs of nodes that stopped renewing them (kill -9, a cut network): their runs are interrupted
// and the jobs retried by their policy.
void Daemon::take_over_stale() {
  auto stale = dispatcher_.stale_jobs();
  if (!stale) return;
  for (const JobRecord& j : *stale) {
    if (j.node == settings_.node && adopted_.count(j.id)) continue;
    bool mine = false;
    for (const auto& [pid, c] : children_) mine = mine || c.job.id == j.id;
    if (mine) continue;
    std::optional<RunRecord> run;
    if (j.run_id) {
      auto r = app_.store->get_run(*j.run_id);
      if (r) run = *r;
    }
    const std::string why = "node " + j.node + " stopped renewing its lease (last at " +
                            stamp(j.heartbeat_at) + ")";
    if (run && run->status == RunStatus::kRunning) {
      (void)app_.store->interrupt_run(run->id, why, "scheduler", now());
      auto r = app_.store->get_run(run->id);
      if (r) run = *r;
    }
    log("job " + std::to_string(j.id) + ": taken over: " + why);
    settle(j, run, why + " before the run started", true);
  }
}

void Daemon::scan_files() {
  const int64_t t = now();
  for (auto& [id, w] : files_) {
    std::error_code ec;
    std::set<std::string> present;
    for (const auto& entry : fs::directory_iterator(w.schedule.folder, ec)) {
      const std::string name = entry.path().filename().string();
      if (temporary_name(name) || fnmatch(w.schedule.pattern.c_str(), name.c_str(), 0) != 0) continue;
      struct stat st {};
      if (::stat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      present.insert(name);
      const int64_t mtime = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
      const std::string key = "file:" + name + ":" + std::to_string(st.st_size) + ":" + std::to_string(mtime);
      if (files_seen_.count(id + "\n" + key)) continue;
      Candidate& c = w.candidates[name];
      if (c.size != st.st_size || c.mtime_ns != mtime) {
        c = Candidate{st.st_size, mtime, t};  // still changing: wait until it is quiet
        continue;
      }
      if (t - c.since_ms < static_cast<int64_t>(w.schedule.stable_s * 1000)) continue;
      JobRecord j;
      j.schedule_id = id;
      j.workflow_id = w.schedule.workflow_id;
      j.workflow_path = w.schedule.workflow_path;
      j.fire_key = key;
      j.trigger = "file";
      j.nominal = "";
      j.due_at = t;
      j.next_at = t;
      j.params_json = w.schedule.params_json;
      j.file = entry.path().string();
      j.actor = "scheduler";
      j.created_at = t;
      auto added = app_.store->job_add(j);
      if (added) log("file " + j.file + " arrived: job " + std::to_string(*added));
      else if (added.status().code() != Code::kConflict) {
        log("file " + j.file + ": " + added.status().message());
        continue;
      }
      files_seen_.insert(id + "\n" + key);
      w.candidates.erase(name);
    }
    for (auto it = w.candidates.begin(); it != w.candidates.end();) {
      it = present.count(it->first) ? std::next(it) : w.candidates.erase(it);
    }
  }
  files_dirty_ = false;
}

void Daemon::poll_mail() {
  const int64_t t = now();
  for (auto& [id, p] : mail_) {
    if (p.pid != 0 || t < p.next_ms) continue;
    p.next_ms = t + static_cast<int64_t>(p.schedule.poll_s * 1000);
    p.pid = spawn({"poll", p.schedule.workflow_path, "--home", app_.home},
                  app_.home + "/serve/poll-" + id + ".log");
    if (p.pid < 0) p.pid = 0;
  }
}

void Daemon::heartbeat() {
  const int64_t t = now();
  if (!children_.empty() || !adopted_.empty()) (void)app_.store->jobs_heartbeat(settings_.node, t);
  NodeRecord n{settings_.node, host_name(), getpid(), JIMU_VERSION, started_at_, t, stopping_};
  (void)app_.store->node_beat(n);
  take_over_stale();
}

void Daemon::turn() {
  const int64_t t = now();
  if (reload_due_ || t >= next_reload_) {
    reload(reload_due_);
    reload_due_ = false;
    next_reload_ = t + static_cast<int64_t>(settings_.poll_s * 1000);
    files_dirty_ = true;
  }
  if (!stopping_) {
    if (auto n = dispatcher_.enqueue_due(); !n) log("cannot queue due fires: " + n.status().message());
    bool pending = false;
    for (const auto& [id, w] : files_) pending = pending || !w.candidates.empty();
    if (files_dirty_ || pending) scan_files();
    poll_mail();
  }
  // Attempts that ended free their room before this turn claims.
  reap();
  check_adopted();
  if (!stopping_) {
    int room = settings_.max_runs - static_cast<int>(children_.size() + adopted_.size());
    last_claim_ = t;
    if (room > 0) {
      auto claimed = dispatcher_.claim(room);
      if (!claimed) log("cannot claim jobs: " + claimed.status().message());
      else for (const JobRecord& j : *claimed) start(j);
    }
  }
  for (auto& [pid, c] : children_) {
    if (c.killed_because.empty() && t >= c.deadline_ms) {
      c.killed_because = "exceeded its time limit and did not stop by itself; killed by jimu serve";
      log("job " + std::to_string(c.job.id) + ": " + c.killed_because);
      kill(-pid, SIGKILL);
    }
  }
  // Renew claims often enough that a lease never lapses while this daemon lives.
  if (t >= next_beat_) {
    heartbeat();
    next_beat_ = t + static_cast<int64_t>(settings_.lease_s * 1000 / 3);
  }
}

int64_t Daemon::next_wake() const {
  const int64_t t = now();
  int64_t wake = std::min(next_reload_, next_beat_);
  if (children_.empty() && adopted_.empty()) {
    // Idle: the node's own beat can wait for the next reload.
    wake = next_reload_;
  }
  if (auto f = dispatcher_.next_fire_ms()) wake = std::min(wake, *f);
  if (!stopping_) {
    // A job that was ready at the last claim and is still queued waits for room (a limit,
    // perhaps held by another node): look again shortly rather than spin on the store.
    if (auto next = app_.store->jobs_next_try(last_claim_, last_claim_ + kBlockedRetryMs)) {
      if (*next) wake = std::min(wake, std::max(**next, t));
    } else {
      wake = std::min(wake, t + kBlockedRetryMs);
    }
  }
  for (const auto& [id, w] : files_) {
    for (const auto& [name, c] : w.candidates) {
      wake = std::min(wake, c.since_ms + static_cast<int64_t>(w.schedule.stable_s * 1000) + 50);
    }
  }
  for (const auto& [id, p] : mail_) {
    if (p.pid == 0) wake = std::min(wake, p.next_ms);
  }
  for (const auto& [pid, c] : children_) wake = std::min(wake, c.deadline_ms);
  if (!adopted_.empty()) wake = std::min(wake, t + 1000);
  if (stopping_) wake = std::min(wake, stop_deadline_);
  return wake;
}

void Daemon::handle_signals() {
  signalfd_siginfo info;
  while (read(signal_fd_, &info, sizeof info) == sizeof info) {
    if (info.ssi_signo == SIGHUP) {
      reload_due_ = true;
    } else if (info.ssi_signo == SIGTERM || info.ssi_signo == SIGINT) {
      if (!stopping_) {
        stopping_ = true;
        stop_deadline_ = now() + static_cast<int64_t>(settings_.grace_s * 1000);
        log(std::string(info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT") +
            ": taking no new runs; " + std::to_string(children_.size()) +
            " running may finish until " + stamp(stop_deadline_));
      }
    }
  }
}

void Daemon::drain_inotify() {
  char buf[8192];
  while (read(inotify_fd_, buf, sizeof buf) > 0) files_dirty_ = true;
}

void Daemon::stop_remaining() {
  for (auto& [pid, c] : children_) {
    c.killed_because = "jimu serve stopped and its grace period of " +
                       std::to_string(static_cast<int>(settings_.grace_s)) + "s ended";
    kill(-pid, SIGKILL);
  }
  for (auto& [id, p] : mail_) {
    if (p.pid > 0) kill(-p.pid, SIGTERM);
  }
  while (!children_.empty()) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) break;
    auto it = children_.find(pid);
    if (it == children_.end()) continue;
    Child c = std::move(it->second);
    children_.erase(it);
    finish(std::move(c), status);
  }
}

int Daemon::run() {
  std::string error;
  if (!setup(&error)) return fail(error, kExitFailed);
  started_at_ = now();
  reload(true);
  adopt_or_settle_own();
  int cron = 0, file = 0, mail = 0;
  for (const auto& s : dispatcher_.schedules()) {
    if (!s.enabled) continue;
    (s.kind == "cron" ? cron : s.kind == "file" ? file : mail)++;
  }
  if (web_server_) {
    std::string host;
    int port = 0;
    (void)web::parse_listen(web_options_->listen, &host, &port);
    log(std::string("web pages at ") + (web_server_->tls() ? "https" : "http") + "://" + host + ":" +
        std::to_string(web_server_->port()) + "/");
  }
  log("jimu serve " + std::string(JIMU_VERSION) + " ready: pid " + std::to_string(getpid()) +
      ", node " + settings_.node + ", home " + app_.home + ", " + std::to_string(cron) + " cron, " +
      std::to_string(file) + " file, " + std::to_string(mail) + " mail schedules, at most " +
      std::to_string(settings_.max_runs) + " runs at once");
  for (;;) {
    turn();
    if (stopping_ && children_.empty()) break;
    if (stopping_ && now() >= stop_deadline_) {
      stop_remaining();
      break;
    }
    int64_t wait_ms = std::max<int64_t>(0, next_wake() - now());
    pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    int rc = ::poll(fds, inotify_fd_ >= 0 ? 2 : 1, static_cast<int>(std::min<int64_t>(wait_ms, 3600000)));
    if (rc > 0) {
      if (fds[0].revents & POLLIN) handle_signals();
      if (inotify_fd_ >= 0 && (fds[1].revents & POLLIN)) drain_inotify();
    }
  }
  for (auto& [id, p] : mail_) {
    if (p.pid > 0) waitpid(p.pid, nullptr, 0);
  }
  if (web_server_) web_server_->stop();
  (void)app_.store->node_remove(settings_.node);
  log("jimu serve stopped");
  return kExitOk;
}

}  // namespace

int cmd_serve(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kServeSpec, argv, &code);
  if (!args) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto settings = serve_settings(**app);
  if (!settings) return fail(settings.status());
  if (auto v = args->get("max-runs")) {
    char* end = nullptr;
    long n = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < 1 || n > 256) {
      return fail("--max-runs must be a number from 1 to 256, not '" + *v + "'", kExitUsage);
    }
    settings->max_runs = static_cast<int>(n);
  }
  auto options = (*app)->runner_options();  // also loads the mail accounts
  if (!options) return fail(options.status());
  std::optional<web::WebServerOptions> web_options;
  if (!args->has("no-web")) {
    auto w = web_server_options(**app, args->get("listen"));
    if (!w) return fail(w.status().message(), kExitUsage);
    web_options = *w;
  }
  Daemon daemon(**app, *settings, options->default_timeout_s, web_options);
  return daemon.run();
}

}  // namespace jimu::cli

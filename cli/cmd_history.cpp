// jimu runs and jimu show: the history of runs and one run in detail.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <iostream>

#include "cli/app.h"
#include "cli/scheduling.h"
#include "engine/calendar/local_time.h"
#include "engine/core/json_writer.h"

namespace jimu::cli {
namespace {

const CmdSpec kRunsSpec = {
    "runs",
    "[--workflow ID] [--status S] [--limit N] [--last-night] [--format text|json]",
    "Lists recorded runs, newest first.\n"
    "--last-night shows what the scheduler did since noon yesterday instead: each scheduled fire\n"
    "with what ran, what failed (and why), what a holiday skipped, what waits for a retry.",
    {{"last-night", "", "the scheduler's fires since 12:00 yesterday, oldest first"},
     {"workflow", "ID", "only runs of this workflow"},
     {"status", "S", "only runs with this status: running, succeeded, failed, interrupted"},
     {"limit", "N", "at most N runs (default 20)"},
     {"format", "FORMAT", "text (default) or json"}},
    "",
    0, 0};

const CmdSpec kShowSpec = {
    "show",
    "RUN_ID [--format text|json]",
    "Shows one run: status, times, items, parameters, log lines, and the error with its traceback.",
    {{"format", "FORMAT", "text (default) or json"}},
    "",
    1, 1};

void run_json(JsonWriter& w, const RunRecord& r) {
  w.begin_object()
      .field("id", r.id)
      .field("workflow", r.workflow_id)
      .field("name", r.workflow_name)
      .field("path", r.workflow_path);
  w.key("operation");
  if (r.operation) w.value(*r.operation); else w.null();
  w.field("trigger", r.trigger)
      .field("dry_run", r.dry_run)
      .field("status", run_status_name(r.status))
      .field("started_at", format_local_time_iso(r.started_at));
  w.key("ended_at");
  if (r.ended_at) w.value(format_local_time_iso(*r.ended_at)); else w.null();
  w.field("items", r.items).field("actor", r.actor).key("params").raw(r.params_json);
  w.field("error", r.error);
}

std::optional<int64_t> parse_id(const std::string& s) {
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v <= 0) return std::nullopt;
  return v;
}

const char* job_state_ja(JobState s) {
  switch (s) {
    case JobState::kQueued: return "待機";
    case JobState::kRunning: return "実行中";
    case JobState::kSucceeded: return "成功";
    case JobState::kFailed: return "失敗";
    case JobState::kInterrupted: return "中断";
    case JobState::kSkipped: return "休止";
    case JobState::kMissed: return "未実行";
    case JobState::kCancelled: return "取消";
  }
  return "";
}

// jimu runs --last-night: the jobs due since 12:00 yesterday (local time), oldest first.
int last_night(App& app, const std::string& format) {
  auto settings = serve_settings(app);
  if (!settings) return fail(settings.status());
  const int off = settings->utc_offset_minutes;
  const int64_t now = app.clock->now_ms();
  LocalMinute today = LocalMinute::from_epoch_ms(now, off);
  LocalMinute from{today.date.plus_days(-1), 12, 0};
  JobFilter f;
  f.due_from = from.to_epoch_ms(off);
  f.due_to = now + 1;
  f.limit = 100000;
  auto jobs = app.store->jobs(f);
  if (!jobs) return fail(jobs.status());
  std::reverse(jobs->begin(), jobs->end());
  std::map<JobState, int> counts;
  JsonWriter w;
  if (format == "json") {
    w.begin_object().field("from", format_local_time_iso(f.due_from.value())).field("to", format_local_time_iso(now));
    w.key("jobs").begin_array();
  } else {
    std::cout << "昨夜の実行 last night: " << format_local_time(*f.due_from) << " から "
              << format_local_time(now) << " まで\n";
  }
  for (const JobRecord& j : *jobs) {
    ++counts[j.state];
    std::optional<RunRecord> run;
    if (j.run_id) {
      if (auto r = app.store->get_run(*j.run_id)) run = *r;
    }
    if (format == "json") {
      w.begin_object()
          .field("job", j.id)
          .field("schedule", j.schedule_id)
          .field("workflow", j.workflow_id)
          .field("due_at", format_local_time_iso(j.due_at))
          .field("nominal", j.nominal)
          .field("trigger", j.trigger)
          .field("state", job_state_name(j.state))
          .field("attempts", int64_t{j.attempt});
      w.key("run");
      if (run) w.value(run->id); else w.null();
      w.field("items", run ? run->items : 0).field("file", j.file).field("reason", j.reason).end_object();
      continue;
    }
    std::string line = "  " + format_local_time(j.due_at).substr(5, 11) + "  " + j.schedule_id + "  " +
                       job_state_ja(j.state) + " " + job_state_name(j.state);
    if (run) {
      line += "  run " + std::to_string(run->id) + ", " + std::to_string(run->items) + " items";
      if (run->ended_at) line += ", " + format_duration_ms(*run->ended_at - run->started_at);
    }
    if (j.attempt > 1) line += ", " + std::to_string(j.attempt) + " attempts";
    if (!j.file.empty()) line += "  file " + j.file;
    std::cout << line << "\n";
    if (!j.reason.empty()) std::cout << "      " << j.reason << "\n";
  }
  if (format == "json") {
    w.end_array().key("counts").begin_object();
    for (const auto& [state, n] : counts) w.field(job_state_name(state), int64_t{n});
    w.end_object().end_object();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  if (jobs->empty()) std::cout << "  nothing was scheduled\n";
  std::string summary;
  for (const auto& [state, n] : counts) {
    summary += (summary.empty() ? "" : ", ") + std::to_string(n) + " " + job_state_name(state);
  }
  if (!summary.empty()) std::cout << "  計 total: " << summary << "\n";
  return counts.count(JobState::kFailed) || counts.count(JobState::kInterrupted) ? kExitFailed : kExitOk;
}

const CmdSpec kNodesSpec = {
    "nodes", "[--format text|json]",
    "The jimu serve daemons using this store: their host, process, last heartbeat and the jobs\n"
    "each is running. A node whose heartbeat is older than [serve] lease is presumed lost.",
    {{"format", "FORMAT", "text (default) or json"}}, "", 0, 0};

}  // namespace

int cmd_nodes(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kNodesSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto settings = serve_settings(**app);
  if (!settings) return fail(settings.status());
  auto nodes = (*app)->store->nodes();
  if (!nodes) return fail(nodes.status());
  const int64_t now = (*app)->clock->now_ms();
  JsonWriter w;
  if (*format == "json") w.begin_array();
  for (const NodeRecord& n : *nodes) {
    JobFilter f;
    f.states = {JobState::kRunning};
    f.node = n.id;
    auto running = (*app)->store->jobs(f);
    if (!running) return fail(running.status());
    const bool lost = now - n.heartbeat_at > static_cast<int64_t>(settings->lease_s * 1000) * 3;
    if (*format == "json") {
      w.begin_object()
          .field("node", n.id)
          .field("host", n.host)
          .field("pid", n.pid)
          .field("version", n.version)
          .field("started_at", format_local_time_iso(n.started_at))
          .field("heartbeat_at", format_local_time_iso(n.heartbeat_at))
          .field("stopping", n.stopping)
          .field("lost", lost)
          .key("running").begin_array();
      for (const auto& j : *running) w.begin_object().field("job", j.id).field("schedule", j.schedule_id).end_object();
      w.end_array().end_object();
      continue;
    }
    std::cout << n.id << "  " << n.host << " pid " << n.pid << "  jimu " << n.version
              << (n.stopping ? "  [stopping]" : "") << (lost ? "  [lost: no heartbeat]" : "") << "\n"
              << "  started " << format_local_time(n.started_at) << ", last heartbeat "
              << format_local_time(n.heartbeat_at) << "\n";
    for (const auto& j : *running) {
      std::cout << "  running job " << j.id << ": " << j.schedule_id
                << (j.run_id ? " (run " + std::to_string(*j.run_id) + ")" : "") << "\n";
    }
  }
  if (*format == "json") {
    w.end_array();
    std::cout << w.str() << "\n";
  } else if (nodes->empty()) {
    std::cout << "no jimu serve is running on this store\n";
  }
  return kExitOk;
}

int cmd_runs(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kRunsSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  RunFilter filter;
  filter.workflow_id = args->get("workflow");
  if (auto s = args->get("status")) {
    filter.status = parse_run_status(*s);
    if (!filter.status) {
      return fail("unknown status '" + *s + "' (running, succeeded, failed, interrupted)", kExitUsage);
    }
  }
  if (auto l = args->get("limit")) {
    auto n = parse_id(*l);
    if (!n || *n > 100000) return fail("--limit expects a number from 1 to 100000, not '" + *l + "'", kExitUsage);
    filter.limit = static_cast<int>(*n);
  }
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  if (args->has("last-night")) return last_night(**app, *format);
  auto runs = (*app)->store->list_runs(filter);
  if (!runs) return fail(runs.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const auto& r : *runs) {
      run_json(w, r);
      w.end_object();
    }
    w.end_array();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  if (runs->empty()) {
    std::cout << "no runs recorded" << (filter.workflow_id || filter.status ? " that match" : "") << "\n";
    return kExitOk;
  }
  std::printf("%6s  %-19s  %-11s  %9s  %9s  %s\n", "ID", "STARTED", "STATUS", "ITEMS", "DURATION", "WORKFLOW");
  for (const auto& r : *runs) {
    std::string duration = r.ended_at ? format_duration_ms(*r.ended_at - r.started_at) : "-";
    std::printf("%6lld  %-19s  %-11s  %9lld  %9s  %s%s\n", static_cast<long long>(r.id),
                format_local_time(r.started_at).c_str(), run_status_name(r.status),
                static_cast<long long>(r.items), duration.c_str(), r.workflow_id.c_str(),
                r.dry_run ? " (dry run)" : "");
  }
  return kExitOk;
}

int cmd_show(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kShowSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto id = parse_id(args->positional[0]);
  if (!id) return fail("RUN_ID must be a run number, not '" + args->positional[0] + "'", kExitUsage);
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto run = (*app)->store->get_run(*id);
  if (!run) return fail(run.status());
  auto logs = (*app)->store->run_logs(*id);
  if (!logs) return fail(logs.status());
  const RunRecord& r = *run;
  std::string out_dir = (*app)->home + (r.dry_run ? "/scratch/" : "/runs/") + std::to_string(r.id) + "/out";
  if (*format == "json") {
    JsonWriter w;
    run_json(w, r);
    w.field("traceback", r.traceback).field("out_dir", out_dir);
    w.key("log").begin_array();
    for (const auto& l : *logs) {
      w.begin_object().field("at", format_local_time_iso(l.at)).field("level", log_level_name(l.level))
          .field("message", l.message).end_object();
    }
    w.end_array();
    w.end_object();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::cout << "run " << r.id << ": " << r.workflow_name << " (" << r.workflow_id << ")\n";
  std::cout << "  status:    " << run_status_name(r.status) << (r.dry_run ? " (dry run)" : "") << "\n";
  std::cout << "  file:      " << r.workflow_path << "\n";
  std::cout << "  operation: " << (r.operation ? *r.operation : "-") << "\n";
  std::cout << "  started:   " << format_local_time(r.started_at) << " by " << r.actor << " (" << r.trigger << ")\n";
  if (r.ended_at) {
    std::cout << "  ended:     " << format_local_time(*r.ended_at) << " ("
              << format_duration_ms(*r.ended_at - r.started_at) << ")\n";
  }
  std::cout << "  items:     " << r.items << "\n";
  std::cout << "  params:    " << r.params_json << "\n";
  std::cout << "  outputs:   " << out_dir << "\n";
  if (!r.error.empty()) std::cout << "  error:     " << r.error << "\n";
  if (!r.traceback.empty()) std::cout << "\n" << r.traceback << "\n";
  if (!logs->empty()) {
    std::cout << "\nlog:\n";
    for (const auto& l : *logs) {
      std::cout << "  " << format_local_time(l.at) << " [" << log_level_name(l.level) << "] " << l.message << "\n";
    }
  }
  return kExitOk;
}

}  // namespace jimu::cli

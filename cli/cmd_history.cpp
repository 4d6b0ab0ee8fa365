// jimu runs and jimu show: the history of runs and one run in detail.
#include <cstdlib>
#include <iostream>

#include "cli/app.h"
#include "engine/calendar/local_time.h"
#include "engine/core/json_writer.h"

namespace jimu::cli {
namespace {

const CmdSpec kRunsSpec = {
    "runs",
    "[--workflow ID] [--status S] [--limit N] [--format text|json]",
    "Lists recorded runs, newest first.",
    {{"workflow", "ID", "only runs of this workflow"},
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

}  // namespace

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

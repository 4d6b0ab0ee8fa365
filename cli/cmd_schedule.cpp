// jimu schedule add|list|enable|disable|remove|run-now|next: the clerk's view of the scheduler.
// Changes go to the store (with an audit entry each) and wake the home's `jimu serve`, if one runs.
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>

#include "cli/scheduling.h"
#include "engine/core/json_writer.h"
#include "engine/script/workflow_def.h"

namespace fs = std::filesystem;

namespace jimu::cli {
namespace {

const CmdSpec kAddSpec = {
    "schedule add",
    "FILE.lua [--name NAME] [--cron EXPR] [--on-holiday POLICY] [--business-day RULE] ...",
    "Schedules a workflow. Its own schedule = { ... } (or trigger = { file | mail = ... }) is used,\n"
    "and any option given here overrides it. The schedule is checked now: a mistake in the cron\n"
    "expression or the workflow is reported and nothing is stored.",
    {{"name", "NAME", "the schedule's name (default: the workflow's id)"},
     {"cron", "EXPR", "five fields 'minute hour day month weekday' or @daily, @hourly, ..."},
     {"on-holiday", "POLICY", "on a day off: run, skip, next (business day) or previous"},
     {"business-day", "RULE", "the Nth business day of the month (1..23), last, or -N from the end"},
     {"calendar", "NAME", "jp-gov (default: the office calendar of jimu.conf), weekdays, every-day"},
     {"missed", "POLICY", "after downtime: latest (run the latest once, default), all, or none"},
     {"overlap", "N", "runs of this workflow at once (default 1; 0 = no limit)"},
     {"param", "K=V", "a parameter every run gets", true},
     {"replace", "", "replace a schedule of the same name"},
     {"disabled", "", "store it disabled"}},
    "Examples:\n"
    "  jimu schedule add workflows/debit-report.lua --cron '0 2 * * 1-5' --on-holiday next\n"
    "  jimu schedule add workflows/monthly.lua --cron '30 7 * * *' --business-day last\n"
    "Times are in the [serve] timezone of jimu.conf (Asia/Tokyo unless set).",
    1, 1};

const CmdSpec kListSpec = {"schedule list", "[--format text|json]",
                           "Lists the schedules: when each fires, its next fire, its last result.",
                           {{"format", "FORMAT", "text (default) or json"}}, "", 0, 0};

CmdSpec kNameSpec(const char* name, const char* summary) {
  return {std::string("schedule ") + name, "NAME", summary, {}, "", 1, 1};
}

const CmdSpec kNextSpec = {
    "schedule next", "[--days N] [--format text|json]",
    "What will run in the coming days, and which fires a holiday skips or moves (and why).",
    {{"days", "N", "how many days ahead (default 7, at most 366)"},
     {"format", "FORMAT", "text (default) or json"}},
    "", 0, 0};

const char* kUsage =
    "usage: jimu schedule add|list|enable|disable|remove|run-now|next ...\n\n"
    "  add FILE.lua     schedule a workflow (its cron, holiday policy, business-day rule)\n"
    "  list             the schedules, their next fire and last result\n"
    "  enable NAME      start firing again (fires while disabled are not made up)\n"
    "  disable NAME     stop firing; queued runs are cancelled, running ones finish\n"
    "  remove NAME      delete the schedule (its history stays)\n"
    "  run-now NAME     run it once now, through jimu serve\n"
    "  next [--days N]  preview what runs when, and what holidays skip or move\n\n"
    "jimu serve runs the schedules. Run 'jimu schedule SUBCOMMAND --help' for the options.\n";

struct Opened {
  std::unique_ptr<App> app;
  ServeSettings settings;
};

Result<Opened> open_app(const Args& args) {
  auto app = App::open(args);
  if (!app) return app.status();
  auto settings = serve_settings(**app);
  if (!settings) return settings.status();
  return Opened{std::move(app).value(), *settings};
}

void tell_daemon(const App& app) {
  if (!wake_daemon(app.home)) {
    std::cerr << "note: no jimu serve is running for " << app.home
              << "; schedules fire only while it runs\n";
  }
}

int add(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kAddSpec, argv, &code);
  if (!args) return code;
  auto opened = open_app(*args);
  if (!opened) return fail(opened.status());
  App& app = *opened->app;
  const std::string file = fs::absolute(args->positional[0]).lexically_normal().string();
  auto options = app.runner_options();
  if (!options) return fail(options.status());
  Runner runner(std::move(options).value());
  WorkflowDef def;
  auto problems = runner.check(file, args->positional[0], &def);
  if (!problems.empty()) {
    for (const auto& p : problems) std::cerr << p.to_string() << "\n";
    return fail("schedule add: " + args->positional[0] + " is not a valid workflow; nothing stored",
                kExitUsage);
  }

  ScheduleRecord s;
  s.id = args->get("name").value_or(def.id);
  s.workflow_id = def.id;
  s.workflow_path = file;
  s.owner = def.owner.value_or("");
  if (def.retry) {
    s.retry_attempts = def.retry->attempts;
    s.retry_backoff_s = def.retry->backoff_s;
  }
  s.timeout_s = def.timeout_s.value_or(0);
  s.enabled = !args->has("disabled");
  if (def.schedule) {
    s.cron = def.schedule->cron;
    s.calendar = def.schedule->calendar;
    s.on_holiday = def.schedule->on_holiday;
    s.missed = def.schedule->missed;
    s.business_day = def.schedule->business_day;
    s.overlap = def.schedule->overlap;
  }
  if (auto v = args->get("cron")) s.cron = *v;
  if (!s.cron.empty()) {
    s.kind = "cron";
  } else if (def.trigger && def.trigger->file) {
    s.kind = "file";
    fs::path folder = def.trigger->file->folder;
    if (folder.is_relative()) folder = fs::path(file).parent_path() / folder;
    s.folder = folder.lexically_normal().string();
    s.pattern = def.trigger->file->pattern;
    s.stable_s = def.trigger->file->stable_s;
  } else if (def.trigger && def.trigger->mail) {
    s.kind = "mail";
  } else {
    return fail("schedule add: " + args->positional[0] +
                    " declares no schedule or trigger; give --cron, e.g. --cron '0 2 * * 1-5'",
                kExitUsage);
  }
  for (auto [opt, field] : {std::pair{"on-holiday", &s.on_holiday}, std::pair{"calendar", &s.calendar},
                            std::pair{"missed", &s.missed}, std::pair{"business-day", &s.business_day}}) {
    if (auto v = args->get(opt)) *field = *v;
  }
  if (s.missed != "latest" && s.missed != "all" && s.missed != "none") {
    return fail("--missed must be latest, all or none, not '" + s.missed + "'", kExitUsage);
  }
  if (auto v = args->get("overlap")) {
    char* end = nullptr;
    long n = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < 0 || n > 1000) {
      return fail("--overlap must be a count from 0 (no limit) to 1000, not '" + *v + "'", kExitUsage);
    }
    s.overlap = static_cast<int>(n);
  }
  static const std::regex name_re("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  if (!std::regex_match(s.id, name_re)) {
    return fail("schedule name '" + s.id + "' must be 1 to 64 letters, digits, '_', '-' or '.'",
                kExitUsage);
  }
  JsonWriter params;
  params.begin_object();
  for (const auto& kv : args->all("param")) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return fail("--param expects NAME=VALUE, got '" + kv + "'", kExitUsage);
    }
    std::string name = kv.substr(0, eq);
    if (!def.params.count(name)) {
      return fail("--param " + name + ": the workflow declares no parameter '" + name + "'", kExitUsage);
    }
    params.field(name, kv.substr(eq + 1));
  }
  params.end_object();
  s.params_json = params.str();

  Calendars calendars(*app.calendar);
  std::optional<ScheduleSpec> spec;
  if (s.kind == "cron") {
    auto parsed = Dispatcher::spec_of(s);
    if (!parsed) return fail(parsed.status().message(), kExitUsage);
    if (!calendars.find(s.calendar)) {
      return fail("unknown calendar '" + s.calendar + "' (" + Calendars::names() + ")", kExitUsage);
    }
    spec = *parsed;
  }
  Status put = app.store->schedule_put(s, args->has("replace"), app.actor, app.clock->now_ms());
  if (!put) return fail(put);

  std::cout << "schedule " << s.id << ": " << def.name << " (" << file << ")\n";
  if (spec) {
    std::cout << "  when: " << s.cron << ", calendar " << s.calendar << ", on holidays " << s.on_holiday;
    if (!s.business_day.empty()) std::cout << ", business day " << s.business_day;
    std::cout << "\n  next:";
    const int off = opened->settings.utc_offset_minutes;
    LocalMinute after = LocalMinute::from_epoch_ms(app.clock->now_ms(), off);
    for (int i = 0; i < 3; ++i) {
      auto f = next_fire(*spec, *calendars.find(s.calendar), after);
      if (!f) break;
      std::cout << (i ? ", " : " ") << local_minute_label(f->at);
      after = f->at;
    }
    std::cout << "\n";
  } else if (s.kind == "file") {
    std::cout << "  when: a file matching " << s.pattern << " arrives in " << s.folder << "\n";
    if (!fs::is_directory(s.folder)) {
      std::cerr << "note: " << s.folder << " does not exist yet; jimu serve watches it once it does\n";
    }
  } else {
    std::cout << "  when: mail arrives for account " << def.trigger->mail->account << "\n";
  }
  if (!s.enabled) std::cout << "  disabled: enable it with jimu schedule enable " << s.id << "\n";
  tell_daemon(app);
  return kExitOk;
}

std::string when_text(const ScheduleRecord& s) {
  if (s.kind == "file") return "file " + s.folder + "/" + s.pattern;
  if (s.kind == "mail") return "mail";
  std::string t = s.cron + " " + s.calendar + " holiday:" + s.on_holiday;
  if (!s.business_day.empty()) t += " business-day:" + s.business_day;
  return t;
}

int list(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kListSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto opened = open_app(*args);
  if (!opened) return fail(opened.status());
  App& app = *opened->app;
  Calendars calendars(*app.calendar);
  DispatcherOptions dopt;
  dopt.utc_offset_minutes = opened->settings.utc_offset_minutes;
  Dispatcher dispatcher(*app.store, *app.clock, calendars.lookup(), dopt);
  if (Status s = dispatcher.reload(); !s) return fail(s);
  const int off = opened->settings.utc_offset_minutes;
  const LocalMinute now = LocalMinute::from_epoch_ms(app.clock->now_ms(), off);
  JsonWriter w;
  if (*format == "json") w.begin_array();
  for (const ScheduleRecord& s : dispatcher.schedules()) {
    std::string next;
    if (s.enabled && s.kind == "cron") {
      if (auto spec = Dispatcher::spec_of(s); spec && calendars.find(s.calendar)) {
        if (auto f = next_fire(*spec, *calendars.find(s.calendar), now)) next = f->at.to_string();
      }
    }
    JobFilter jf;
    jf.schedule_id = s.id;
    jf.states = {JobState::kSucceeded, JobState::kFailed, JobState::kInterrupted, JobState::kRunning};
    jf.limit = 1;
    auto last = app.store->jobs(jf);
    if (!last) return fail(last.status());
    std::string last_text = last->empty() ? "" : std::string(job_state_name((*last)[0].state));
    std::string last_at = last->empty() ? "" : LocalMinute::from_epoch_ms((*last)[0].due_at, off).to_string();
    if (*format == "json") {
      w.begin_object()
          .field("name", s.id)
          .field("workflow", s.workflow_id)
          .field("path", s.workflow_path)
          .field("kind", s.kind)
          .field("enabled", s.enabled)
          .field("cron", s.cron)
          .field("calendar", s.calendar)
          .field("on_holiday", s.on_holiday)
          .field("business_day", s.business_day)
          .field("missed", s.missed)
          .field("overlap", int64_t{s.overlap})
          .field("folder", s.folder)
          .field("pattern", s.pattern)
          .field("next", next)
          .field("last_state", last_text)
          .field("last_at", last_at)
          .end_object();
    } else {
      std::cout << s.id << (s.enabled ? "" : "  [停止中 disabled]") << "\n"
                << "  " << when_text(s) << "\n"
                << "  workflow " << s.workflow_id << " (" << s.workflow_path << ")\n";
      if (!next.empty()) std::cout << "  次回 next: " << next << "\n";
      if (!last_text.empty()) std::cout << "  前回 last: " << last_at << " " << last_text << "\n";
    }
  }
  if (*format == "json") {
    w.end_array();
    std::cout << w.str() << "\n";
  } else if (dispatcher.schedules().empty()) {
    std::cout << "no schedules (add one with jimu schedule add FILE.lua)\n";
  }
  for (const auto& p : dispatcher.problems()) std::cerr << "warning: " << p << "\n";
  return kExitOk;
}

int set_enabled(const std::vector<std::string>& argv, bool enabled) {
  int code = 0;
  CmdSpec spec = kNameSpec(enabled ? "enable" : "disable",
                           enabled ? "Starts firing the schedule again, from now."
                                   : "Stops firing the schedule; queued runs are cancelled, running ones finish.");
  auto args = parse_or_exit(spec, argv, &code);
  if (!args) return code;
  auto opened = open_app(*args);
  if (!opened) return fail(opened.status());
  App& app = *opened->app;
  Status s = app.store->schedule_set_enabled(args->positional[0], enabled, app.actor, app.clock->now_ms());
  if (!s) return refuse(s);
  std::cout << "schedule " << args->positional[0] << (enabled ? " enabled" : " disabled") << "\n";
  tell_daemon(app);
  return kExitOk;
}

int remove(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kNameSpec("remove", "Deletes a schedule; its history stays."), argv, &code);
  if (!args) return code;
  auto opened = open_app(*args);
  if (!opened) return fail(opened.status());
  App& app = *opened->app;
  Status s = app.store->schedule_remove(args->positional[0], app.actor, app.clock->now_ms());
  if (!s) return refuse(s);
  std::cout << "schedule " << args->positional[0] << " removed\n";
  tell_daemon(app);
  return kExitOk;
}

int run_now(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(
      kNameSpec("run-now", "Runs the schedule's workflow once, now, through jimu serve (its limits,\n"
                           "retries and failure mail apply). The run counts as manual, by you."),
      argv, &code);
  if (!args) return code;
  auto opened = open_app(*args);
  if (!opened) return fail(opened.status());
  App& app = *opened->app;
  auto s = app.store->find_schedule(args->positional[0]);
  if (!s) return fail(s.status());
  if (!*s) return fail("no schedule named " + args->positional[0] + " (see jimu schedule list)", kExitUsage);
  const int64_t now = app.clock->now_ms();
  JobRecord j;
  j.schedule_id = (*s)->id;
  j.workflow_id = (*s)->workflow_id;
  j.workflow_path = (*s)->workflow_path;
  j.fire_key = "now:" + std::to_string(now) + ":" + app.actor;
  j.trigger = "manual";
  j.due_at = now;
  j.next_at = now;
  j.params_json = (*s)->params_json;
  j.actor = app.actor;
  j.created_at = now;
  auto id = app.store->job_add(j);
  if (!id) return fail(id.status());
  std::cout << "queued as job " << *id << "\n";
  tell_daemon(app);
  return kExitOk;
}

int next(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kNextSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  int days = 7;
  if (auto v = args->get("days")) {
    char* end = nullptr;
    long n = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || n < 1 || n > 366) {
      return fail("--days must be a number from 1 to 366, not '" + *v + "'", kExitUsage);
    }
    days = static_cast<int>(n);
  }
  auto opened = open_app(*args);
  if (!opened) return fail(opened.status());
  App& app = *opened->app;
  Calendars calendars(*app.calendar);
  auto all = app.store->schedules();
  if (!all) return fail(all.status());
  const int off = opened->settings.utc_offset_minutes;
  const LocalMinute from = LocalMinute::from_epoch_ms(app.clock->now_ms(), off);
  const LocalMinute to = LocalMinute::from_index(from.index() + int64_t{days} * 1440);
  struct Row {
    LocalMinute sort;
    std::string schedule, workflow, at, nominal, what, reason;
  };
  std::vector<Row> rows;
  std::vector<std::string> on_arrival;
  for (const ScheduleRecord& s : *all) {
    if (!s.enabled) continue;
    if (s.kind != "cron") {
      on_arrival.push_back(s.id + ": " + when_text(s));
      continue;
    }
    auto spec = Dispatcher::spec_of(s);
    const BusinessDays* cal = calendars.find(s.calendar);
    if (!spec || !cal) {
      std::cerr << "warning: schedule " << s.id << " cannot be planned: "
                << (spec ? "unknown calendar '" + s.calendar + "'" : spec.status().message()) << "\n";
      continue;
    }
    // Nominal times in the window (what holidays do to them), plus fires moved into the window
    // from a nominal time after it (on_holiday = previous).
    std::map<int64_t, bool> seen_at;
    for (const PlannedFire& p : plan_between(*spec, *cal, from, to)) {
      Row r{p.at.value_or(p.nominal), s.id, s.workflow_id, p.at ? local_minute_label(*p.at) : "",
            local_minute_label(p.nominal), "", p.reason};
      r.what = !p.at ? "skipped" : *p.at != p.nominal ? "moved" : "runs";
      if (p.at) seen_at[p.at->index()] = true;
      rows.push_back(r);
    }
    for (const Fire& f : fires_between(*spec, *cal, from, to)) {
      if (seen_at.count(f.at.index())) continue;
      std::string name = cal->day_off_name ? cal->day_off_name(f.nominal.date) : "";
      rows.push_back({f.at, s.id, s.workflow_id, local_minute_label(f.at), local_minute_label(f.nominal),
                      f.moved() ? "moved" : "runs",
                      f.moved() ? name + ": moved from " + f.nominal.date.iso() : ""});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.sort < b.sort; });
  if (*format == "json") {
    JsonWriter w;
    w.begin_object().field("from", from.to_string()).field("to", to.to_string()).key("fires").begin_array();
    for (const Row& r : rows) {
      w.begin_object()
          .field("schedule", r.schedule)
          .field("workflow", r.workflow)
          .field("what", r.what)
          .field("at", r.at)
          .field("nominal", r.nominal)
          .field("reason", r.reason)
          .end_object();
    }
    w.end_array().key("on_arrival").begin_array();
    for (const auto& a : on_arrival) w.value(a);
    w.end_array().end_object();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::cout << "今後 " << days << " 日の予定 (" << from.to_string() << " から)\n";
  if (rows.empty()) std::cout << "  nothing fires\n";
  for (const Row& r : rows) {
    if (r.what == "runs") {
      std::cout << "  " << r.at << "  " << r.schedule << (r.reason.empty() ? "" : "  (" + r.reason + ")") << "\n";
    } else if (r.what == "moved") {
      std::cout << "  " << r.at << "  " << r.schedule << "  振替 moved from " << r.nominal << ": " << r.reason << "\n";
    } else {
      std::cout << "  " << r.nominal << "  " << r.schedule << "  休止 skipped: " << r.reason << "\n";
    }
  }
  for (const auto& a : on_arrival) std::cout << "  on arrival: " << a << "\n";
  return kExitOk;
}

}  // namespace

int cmd_schedule(const std::vector<std::string>& argv) {
  return dispatch("schedule", kUsage, argv,
                  {{"add", add},
                   {"list", list},
                   {"enable", [](const std::vector<std::string>& a) { return set_enabled(a, true); }},
                   {"disable", [](const std::vector<std::string>& a) { return set_enabled(a, false); }},
                   {"remove", remove},
                   {"run-now", run_now},
                   {"next", next}});
}

}  // namespace jimu::cli

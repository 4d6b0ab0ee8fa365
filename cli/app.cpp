#include "cli/app.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/mail_config.h"
#include "connectors/csv/csv_lua.h"
#include "connectors/date/calendar_lua.h"
#include "connectors/date/date_lua.h"
#include "connectors/fs/fs_lua.h"
#include "connectors/mail/mail_lua.h"
#include "connectors/text/my_number.h"
#include "connectors/text/text_lua.h"
#include "connectors/xml/xml_lua.h"
#include "connectors/xlsx/xlsx_lua.h"
#include "cli/approval_handler.h"
#include "engine/approval/approval_lua.h"
#include "engine/core/process_identity.h"
#include "engine/store/pg_db.h"
#include "cli/secrets.h"
#include "engine/script/workflow_def.h"

namespace fs = std::filesystem;

namespace jimu::cli {
namespace {

std::string default_home() {
  if (const char* h = std::getenv("JIMU_HOME"); h && *h) return h;
  const char* home = std::getenv("HOME");
  std::string base = home && *home ? home : "/var/lib";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/jimu";
  return base + "/.local/share/jimu";
}

std::string os_user() {
  if (struct passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  return "uid:" + std::to_string(geteuid());
}

std::vector<std::string> resolve_paths(const std::vector<std::string>& paths, const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(fs::path(p).is_absolute() ? p : (fs::path(dir) / p).string());
  return out;
}

}  // namespace

int fail(const std::string& message, int code) {
  std::cerr << "jimu: " << message << "\n";
  return code;
}

int fail(const Status& status) {
  const Code c = status.code();
  bool usage = c == Code::kInvalid || c == Code::kConflict || c == Code::kRejected;
  return fail(status.message(), usage ? kExitUsage : kExitFailed);
}

int refuse(const Status& s) {
  const Code c = s.code();
  // The store failed (or could not be reached: PostgreSQL refused, a login, a timeout).
  bool store_error = c == Code::kIo || c == Code::kInternal || c == Code::kRefused ||
                     c == Code::kAuth || c == Code::kTimeout;
  return fail(s.message(), store_error ? kExitFailed : kExitUsage);
}

int dispatch(const std::string& group, const std::string& usage,
             const std::vector<std::string>& argv, std::initializer_list<Subcommand> subcommands) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << usage;
    return argv.empty() ? kExitUsage : kExitOk;
  }
  std::vector<std::string> rest(argv.begin() + 1, argv.end());
  std::string known;
  for (const auto& [name, run] : subcommands) {
    if (argv[0] == name) return run(rest);
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  return fail("unknown subcommand '" + group + " " + argv[0] + "' (" + known + ")", kExitUsage);
}

std::optional<Args> parse_or_exit(const CmdSpec& spec, const std::vector<std::string>& args,
                                  int* exit_code) {
  auto parsed = parse_args(spec, args);
  if (!parsed) {
    *exit_code = fail(parsed.status().message(), kExitUsage);
    return std::nullopt;
  }
  if (parsed->help) {
    std::cout << help_text(spec);
    *exit_code = kExitOk;
    return std::nullopt;
  }
  return std::move(parsed).value();
}

std::optional<std::string> format_option(const Args& args, std::initializer_list<const char*> allowed,
                                         int* exit_code) {
  std::string f = args.get("format").value_or(*allowed.begin());
  for (const char* a : allowed) {
    if (f == a) return f;
  }
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  *exit_code = fail("unknown format '" + f + "' (choose " + list + ")", kExitUsage);
  return std::nullopt;
}

std::vector<LuaModule> workflow_modules(const BusinessCalendar* calendar, const Clock* clock,
                                        ApprovalRouter* approval) {
  std::vector<LuaModule> modules = {
          {"fs", &open_fs_module},
          {"csv", &open_csv_module},
          {"xlsx", &open_xlsx_module},
          {"text", &open_text_module},
          {"xml", &open_xml_module},
          {"date", &open_date_module, const_cast<Clock*>(clock)},
          {"calendar", &open_calendar_module, const_cast<BusinessCalendar*>(calendar)},
          // mail's context (the configured accounts) is filled in by App::runner_options.
          {"mail", &open_mail_module}};
  if (approval != nullptr) modules.push_back({"approval", &open_approval_module, approval});
  return modules;
}

Result<std::unique_ptr<BusinessCalendar>> business_calendar_from(const Config& config) {
  auto where = [&](const std::string& key) {
    int line = config.lines.count(key) ? config.lines.at(key) : 0;
    return config.path + ":" + std::to_string(line) + ": ";
  };
  BusinessCalendarOptions o;
  for (const std::string& text : config.list("calendar.closed")) {
    auto d = CivilDate::parse_iso(text);
    if (!d) {
      return Status::parse(where("calendar.closed") + "'" + text +
                           "' is not a date like 2026-08-14");
    }
    o.local_closing_days.push_back(*d);
  }
  std::string closure = config.get("calendar.government_closure", "yes");
  if (closure != "yes" && closure != "no") {
    return Status::parse(where("calendar.government_closure") +
                         "government_closure is yes or no, not '" + closure + "'");
  }
  o.government_closure = closure == "yes";
  return std::make_unique<BusinessCalendar>(o);
}

std::string home_from(const Args& args) {
  std::string home = args.get("home").value_or(default_home());
  home = fs::absolute(home).lexically_normal().string();
  if (!home.empty() && home.back() == '/') home.pop_back();
  return home;
}

Result<StoreOptions> store_options_for(const std::string& url, const std::string& home) {
  StoreOptions so;
  so.sqlite_path = home + "/jimu.db";
  if (url.empty()) return so;
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.empty()) return Status::invalid("store url 'sqlite:' names no file");
    so.url = "sqlite:" + (fs::path(home) / path).lexically_normal().string();
    return so;
  }
  auto pg = parse_pg_url(url);
  if (!pg) return pg.status();
  so.url = url;
  // The password lives in the secrets file, never in jimu.conf (none: trust or peer auth).
  auto secrets = read_secrets(home + "/secrets");
  if (!secrets) return secrets.status();
  auto it = secrets->find("store.password");
  if (it != secrets->end()) so.password = it->second;
  return so;
}

Result<std::unique_ptr<App>> App::open(const Args& args) {
  auto app = std::make_unique<App>();
  app->home = home_from(args);
  std::error_code ec;
  fs::create_directories(app->home, ec);
  if (ec) return Status::io(app->home + ": cannot create jimu's home folder: " + ec.message());
  std::string conf = app->home + "/jimu.conf";
  if (!fs::exists(conf)) {
    std::ofstream(conf) << kDefaultConfig;
  }
  auto config = load_config(conf);
  if (!config) return config.status();
  app->config = std::move(config).value();
  app->actor = os_user();
  auto calendar = business_calendar_from(app->config);
  if (!calendar) return calendar.status();
  app->calendar = std::move(calendar).value();

  std::string url = app->config.get("store.url");
  auto so = store_options_for(url, app->home);
  if (!so) {
    if (so.status().code() != Code::kInvalid) return so.status();
    int line = app->config.lines.count("store.url") ? app->config.lines.at("store.url") : 0;
    return Status::invalid(conf + ":" + std::to_string(line) + ": " + so.status().message());
  }
  app->store_options = *so;
  auto store = open_store(*so);
  if (!store) return store.status();
  app->store = std::move(store).value();
  auto recovered = app->store->recover_interrupted(
      [](const std::string& owner) {
        ProcessIdentity id;
        return ProcessIdentity::parse(owner, &id) ? process_is_alive(id) : false;
      },
      "jimu", app->clock->now_ms());
  if (!recovered) return recovered.status();

  ApprovalOptions ao;
  ao.store = app->store.get();
  ao.clock = app->clock;
  // Due dates count the office's business days ([calendar] in jimu.conf).
  const BusinessCalendar* office_days = app->calendar.get();
  ao.add_business_days = [office_days](CivilDate from, int n) {
    auto d = office_days->add_business_days(from, n);
    return d ? *d : from;  // outside 1970-2099: the date itself
  };
  std::string esc = app->config.get("approval.escalate_after_days", "2");
  char* end = nullptr;
  long days = std::strtol(esc.c_str(), &end, 10);
  if (esc.empty() || *end != '\0' || days < 0 || days > 365) {
    return Status::parse(app->config.path + ":" +
                         std::to_string(app->config.lines.count("approval.escalate_after_days")
                                            ? app->config.lines.at("approval.escalate_after_days")
                                            : 0) +
                         ": escalate_after_days must be a number of business days from 0 to 365, "
                         "not '" + esc + "'");
  }
  ao.escalate_after_days = static_cast<int>(days);
  ao.rules.scripts_dir = JIMU_SCRIPTS_DIR;
  app->approval_handlers = std::make_unique<HandlerRunner>(app.get());
  ao.listener = app->approval_handlers.get();
  app->approval = std::make_unique<ApprovalRouter>(std::move(ao));
  return app;
}

Result<RunnerOptions> App::runner_options() {
  RunnerOptions o;
  o.store = store.get();
  o.clock = clock;
  o.home_dir = home;
  o.scripts_dir = JIMU_SCRIPTS_DIR;
  o.modules = workflow_modules(calendar.get(), clock, approval.get());
  auto accounts = load_mail_accounts(config, home + "/secrets");
  if (!accounts) return accounts.status();
  mail_accounts = std::make_unique<mail::MailAccounts>(std::move(accounts).value());
  for (auto& m : o.modules) {
    if (std::string(m.name) == "mail") m.context = mail_accounts.get();
  }
  o.read_roots = resolve_paths(config.list("files.read"), home);
  o.write_roots = resolve_paths(config.list("files.write"), home);
  o.actor = actor;
  o.owner = ProcessIdentity::self().to_string();
  // Individual numbers (マイナンバー) never reach the terminal or the store through a log line.
  o.log_filter = [](std::string_view line) { return text::mask_my_number(line); };
  auto where = [&](const std::string& key) {
    return config.path + ":" + std::to_string(config.lines.count(key) ? config.lines.at(key) : 0) + ": ";
  };
  std::string mem = config.get("limits.memory_mb", "512");
  char* end = nullptr;
  long mb = std::strtol(mem.c_str(), &end, 10);
  if (*end != '\0' || mb < 16 || mb > 65536) {
    return Status::parse(where("limits.memory_mb") + "memory_mb must be a number of MB from 16 to 65536, not '" + mem + "'");
  }
  o.memory_limit_bytes = static_cast<size_t>(mb) << 20;
  for (auto [key, target] : {std::pair{"limits.timeout", &o.default_timeout_s},
                             std::pair{"limits.max_timeout", &o.max_timeout_s}}) {
    if (config.get(key).empty()) continue;
    auto s = parse_duration_seconds(config.get(key));
    if (!s) return Status::parse(where(key) + "expected a duration like 90s, 30m or 2h, not '" + config.get(key) + "'");
    *target = *s;
  }
  return o;
}

Result<KpiOptions> App::kpi_options(int fy) const {
  KpiOptions o;
  auto kinds = config.list("kpi.kinds");
  if (!kinds.empty()) {
    o.kinds.clear();
    for (const auto& k : kinds) {
      auto kind = parse_operation_kind(k);
      if (!kind) {
        return Status::parse(config.path + ":" + std::to_string(config.lines.at("kpi.kinds")) +
                             ": unknown kind '" + k + "' (rpa, ai, other_ict)");
      }
      o.kinds.insert(*kind);
    }
  }
  for (const char* metric :
       {"operations", "runs", "items", "hours_saved", "approval_rate", "receipt_rate"}) {
    KpiTarget t;
    for (auto [suffix, field] : {std::pair{"baseline", &t.baseline}, std::pair{"target", &t.target}}) {
      std::string base = std::string("kpi.") + metric + "." + suffix;
      std::string key = config.values.count(base + "." + std::to_string(fy)) ? base + "." + std::to_string(fy) : base;
      std::string v = config.get(key);
      if (v.empty()) continue;
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (*end != '\0') {
        return Status::parse(config.path + ":" + std::to_string(config.lines.at(key)) +
                             ": expected a number, not '" + v + "'");
      }
      *field = d;
    }
    if (t.baseline || t.target) o.targets[metric] = t;
  }
  return o;
}

}  // namespace jimu::cli

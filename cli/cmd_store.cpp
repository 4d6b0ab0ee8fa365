// jimu store info|migrate: which store jimu uses and what it holds; moving an installation from
// the embedded SQLite file to a shared PostgreSQL database (issue 7).
#include <iostream>

#include "cli/app.h"
#include "engine/core/json_writer.h"
#include "engine/store/store_copy.h"

namespace jimu::cli {
namespace {

constexpr const char* kUsage = R"(usage: jimu store SUBCOMMAND [options]

Where jimu records runs, approvals and the audit trail: the embedded SQLite file HOME/jimu.db
(the default), or a PostgreSQL database shared by several jimu nodes, set in jimu.conf:
  [store]
  url = postgresql://USER@HOST:PORT/DATABASE
with the password in the secrets file:  jimu secret set store.password

subcommands:
  info      the store in use: database, schema version, rows per table
  migrate   copy a store into a new, empty database (e.g. SQLite to PostgreSQL)

Every subcommand takes --help.
)";

const CmdSpec kInfoSpec = {
    "store info", "[--format text|json]",
    "Shows the store jimu.conf chooses ([store] url): its database, schema version and the rows\n"
    "of each table.",
    {{"format", "FORMAT", "text (default) or json"}}, "", 0, 0};

const CmdSpec kMigrateSpec = {
    "store migrate", "--from URL --to URL",
    "Copies every table of one store into another, keeping ids, timestamps and the audit chain:\n"
    "in one transaction on the target (all or nothing), refused when the target holds any row.\n"
    "Then verifies the target's audit trail and prints the rows per table on both sides.\n"
    "Stop jimu (serve, poll, scheduled runs) on the source while it runs.",
    {{"from", "URL", "the store to copy: sqlite:PATH (relative to the home folder)"},
     {"to", "URL",
      "the new store: postgresql://USER@HOST:PORT/DATABASE (password: jimu secret set "
      "store.password)"}},
    "Afterwards set [store] url in jimu.conf to the --to url.\n"
    "Example:\n"
    "  jimu store migrate --from sqlite:jimu.db --to postgresql://jimu@db1:5432/jimu\n",
    0, 0};

std::string shown(const StoreOptions& o) {
  return o.url.empty() ? "sqlite:" + o.sqlite_path : o.url;
}

int info(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kInfoSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto info = store_info((*app)->store_options);
  if (!info) return fail(info.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_object()
        .field("url", shown((*app)->store_options))
        .field("dialect", info->dialect)
        .field("schema_version", int64_t{info->schema_version});
    w.key("tables").begin_object();
    for (const auto& t : info->tables) w.field(t.table, t.rows);
    w.end_object().end_object();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  std::cout << "store: " << shown((*app)->store_options) << " (" << info->dialect
            << ", schema version " << info->schema_version << ")\n";
  for (const auto& t : info->tables) {
    std::string name = t.table;
    name.resize(std::max<size_t>(name.size(), 24), ' ');
    std::cout << "  " << name << " " << t.rows << "\n";
  }
  return kExitOk;
}

int migrate(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kMigrateSpec, argv, &code);
  if (!args) return code;
  if (!args->get("from") || !args->get("to")) {
    return fail("store migrate needs --from URL and --to URL (see 'jimu store migrate --help')",
                kExitUsage);
  }
  std::string home = home_from(*args);
  auto from = store_options_for(*args->get("from"), home);
  if (!from) return fail("--from: " + from.status().message(), kExitUsage);
  auto to = store_options_for(*args->get("to"), home);
  if (!to) return fail("--to: " + to.status().message(), kExitUsage);
  if (shown(*from) == shown(*to)) return fail("--from and --to name the same store", kExitUsage);
  std::cout << "copying " << shown(*from) << " to " << shown(*to) << "\n";
  auto report = copy_store(*from, *to);
  if (!report) return fail(report.status());
  std::cout << "  table                     source    target\n";
  for (size_t i = 0; i < report->source.tables.size(); ++i) {
    std::string name = report->source.tables[i].table;
    name.resize(std::max<size_t>(name.size(), 24), ' ');
    int64_t target = 0;
    for (const auto& t : report->target.tables) {
      if (t.table == report->source.tables[i].table) target = t.rows;
    }
    std::string a = std::to_string(report->source.tables[i].rows);
    std::string b = std::to_string(target);
    std::cout << "  " << name << std::string(std::max<size_t>(1, 10 - a.size()), ' ') << a
              << std::string(std::max<size_t>(1, 10 - b.size()), ' ') << b << "\n";
  }
  const AuditReport& audit = report->audit;
  if (!audit.ok()) {
    std::cout << "audit trail on the target BROKEN: " << audit.problems.size() << " problem(s) in "
              << audit.entries << " entries\n";
    for (const auto& p : audit.problems) std::cout << "  " << p.message << "\n";
    return kExitFailed;
  }
  std::cout << "audit trail on the target intact: " << audit.entries << " entries, head "
            << audit.head_hash << "\n";
  std::cout << "done: set [store] url = " << shown(*to) << " in jimu.conf to use it\n";
  return kExitOk;
}

}  // namespace

int cmd_store(const std::vector<std::string>& argv) {
  return dispatch("store", kUsage, argv, {{"info", info}, {"migrate", migrate}});
}

}  // namespace jimu::cli

// jimu operations add|list|retire: the registry of business operations (業務).
#include <cstdlib>
#include <iostream>

#include "cli/app.h"
#include "engine/calendar/civil_date.h"
#include "engine/core/json_writer.h"

namespace jimu::cli {
namespace {

const CmdSpec kAddSpec = {
    "operations add",
    "ID --name NAME --division DIV --kind rpa|ai|other_ict --go-live DATE [--minutes M] [--manual]",
    "Registers a business operation (業務) so that runs of workflows naming it count toward the KPI.\n"
    "Operations automated by other tools are registered with --manual: they count in every fiscal\n"
    "year in which they are active.",
    {{"name", "NAME", "the operation's name, e.g. 口座振替結果点検"},
     {"division", "DIV", "the owning division, e.g. 税務課"},
     {"kind", "KIND", "rpa, ai or other_ict"},
     {"go-live", "DATE", "the day it went live, YYYY-MM-DD"},
     {"minutes", "M", "manual minutes one item took before automation (default 0)"},
     {"manual", "", "automated by another tool: count it while active, not from jimu's runs"}},
    "Example:\n  jimu operations add GYO-012 --name 口座振替結果点検 --division 税務課 --kind rpa \\\n"
    "      --go-live 2026-04-01 --minutes 3",
    1, 1};

const CmdSpec kListSpec = {"operations list", "[--format text|json]", "Lists the registered operations.",
                           {{"format", "FORMAT", "text (default) or json"}}, "", 0, 0};

const CmdSpec kRetireSpec = {
    "operations retire", "ID [--date DATE]",
    "Marks an operation retired from DATE (default today); it then counts in no later fiscal year.",
    {{"date", "DATE", "the retirement day, YYYY-MM-DD"}}, "", 1, 1};

const char* kUsage =
    "usage: jimu operations add|list|retire ...\n\n"
    "  add ID ...      register an operation (業務)\n"
    "  list            list the registry\n"
    "  retire ID       mark an operation retired\n\n"
    "Run 'jimu operations SUBCOMMAND --help' for the options of each.\n";

int add(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kAddSpec, argv, &code);
  if (!args) return code;
  for (const char* required : {"name", "division", "kind", "go-live"}) {
    if (!args->has(required)) {
      return fail(std::string("operations add: --") + required + " is required (see 'jimu operations add --help')", kExitUsage);
    }
  }
  Operation op;
  op.id = args->positional[0];
  op.name = *args->get("name");
  op.division = *args->get("division");
  auto kind = parse_operation_kind(*args->get("kind"));
  if (!kind) return fail("--kind must be rpa, ai or other_ict, not '" + *args->get("kind") + "'", kExitUsage);
  op.kind = *kind;
  op.go_live = *args->get("go-live");
  op.manual = args->has("manual");
  if (auto m = args->get("minutes")) {
    char* end = nullptr;
    op.minutes_per_item = std::strtod(m->c_str(), &end);
    if (m->empty() || *end != '\0') return fail("--minutes expects a number, not '" + *m + "'", kExitUsage);
  }
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  op.created_at = (*app)->clock->now_ms();
  Status s = (*app)->store->add_operation(op, (*app)->actor);
  if (!s) return fail(s);
  std::cout << "registered " << op.id << " " << op.name << " (" << op.division << ", "
            << operation_kind_name(op.kind) << (op.manual ? ", manual" : "") << ")\n";
  return kExitOk;
}

int list(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kListSpec, argv, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json"}, &code);
  if (!format) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  auto ops = (*app)->store->list_operations();
  if (!ops) return fail(ops.status());
  if (*format == "json") {
    JsonWriter w;
    w.begin_array();
    for (const auto& op : *ops) {
      w.begin_object()
          .field("id", op.id)
          .field("name", op.name)
          .field("division", op.division)
          .field("kind", operation_kind_name(op.kind))
          .field("go_live", op.go_live);
      w.key("retired");
      if (op.retired) w.value(*op.retired); else w.null();
      w.field("minutes_per_item", op.minutes_per_item).field("manual", op.manual).end_object();
    }
    w.end_array();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  if (ops->empty()) {
    std::cout << "no operations registered (jimu operations add --help)\n";
    return kExitOk;
  }
  for (const auto& op : *ops) {
    std::cout << op.id << "\t" << op.name << "\t" << op.division << "\t" << operation_kind_name(op.kind)
              << "\tgo-live " << op.go_live << (op.retired ? "\tretired " + *op.retired : "")
              << "\t" << op.minutes_per_item << " min/item" << (op.manual ? "\tmanual" : "") << "\n";
  }
  return kExitOk;
}

int retire(const std::vector<std::string>& argv) {
  int code = 0;
  auto args = parse_or_exit(kRetireSpec, argv, &code);
  if (!args) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  std::string date = args->get("date").value_or(CivilDate::from_epoch_ms((*app)->clock->now_ms()).iso());
  Status s = (*app)->store->retire_operation(args->positional[0], date, (*app)->actor, (*app)->clock->now_ms());
  if (!s) return fail(s);
  std::cout << "retired " << args->positional[0] << " from " << date << "\n";
  return kExitOk;
}

}  // namespace

int cmd_operations(const std::vector<std::string>& argv) {
  return dispatch("operations", kUsage, argv, {{"add", add}, {"list", list}, {"retire", retire}});
}

}  // namespace jimu::cli

// jimu report kpi: the fiscal year's KPI as text, JSON or CSV.
#include <cstdlib>
#include <iostream>

#include "cli/app.h"
#include "connectors/fs/file_ops.h"
#include "engine/calendar/civil_date.h"

namespace jimu::cli {
namespace {

const CmdSpec kKpiSpec = {
    "report kpi",
    "[--fy YEAR] [--format text|json|csv] [--out FILE]",
    "The RPA KPI of a fiscal year (年度: April YEAR to March YEAR+1): operations counted per kind\n"
    "and division, runs, items and estimated hours saved, the electronic approval rate (電子決裁率)\n"
    "and the paperless receipt rate (収受), beside the baselines and targets of jimu.conf [kpi].\n"
    "Dry, failed and interrupted runs never count an operation.",
    {{"fy", "YEAR", "the fiscal year, e.g. 2026 for 令和8年度 (default: the current one)"},
     {"format", "FORMAT", "text (default), json or csv"},
     {"out", "FILE", "write to FILE instead of standard output"}},
    "",
    0, 0};

}  // namespace

int cmd_report(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << "usage: jimu report kpi [options]\n\nRun 'jimu report kpi --help' for the options.\n";
    return argv.empty() ? kExitUsage : kExitOk;
  }
  if (argv[0] != "kpi") return fail("unknown report '" + argv[0] + "' (kpi)", kExitUsage);
  int code = 0;
  auto args = parse_or_exit(kKpiSpec, {argv.begin() + 1, argv.end()}, &code);
  if (!args) return code;
  auto format = format_option(*args, {"text", "json", "csv"}, &code);
  if (!format) return code;
  auto app = App::open(*args);
  if (!app) return fail(app.status());
  int fy = fiscal_year_of(CivilDate::from_epoch_ms((*app)->clock->now_ms()));
  if (auto y = args->get("fy")) {
    char* end = nullptr;
    long v = std::strtol(y->c_str(), &end, 10);
    if (y->empty() || *end != '\0' || v < 1900 || v > 2200) {
      return fail("--fy expects a fiscal year like 2026, not '" + *y + "'", kExitUsage);
    }
    fy = static_cast<int>(v);
  }
  auto options = (*app)->kpi_options(fy);
  if (!options) return fail(options.status());
  auto report = compute_kpi(*(*app)->store, fy, *options);
  if (!report) return fail(report.status());
  std::string text = *format == "json" ? kpi_to_json(*report)
                     : *format == "csv" ? kpi_to_csv(*report)
                                        : kpi_to_text(*report);
  if (auto out = args->get("out")) {
    Status s = fs_ops::write_file_atomic(*out, text, *out);
    if (!s) return fail(s);
    std::cerr << "wrote " << *out << "\n";
  } else {
    std::cout << text;
  }
  return kExitOk;
}

}  // namespace jimu::cli

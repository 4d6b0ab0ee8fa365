// jimu report kpi: the fiscal year's KPI as text, JSON, CSV, an Excel workbook or an HTML page.
#include <cstdlib>
#include <iostream>

#include "cli/app.h"
#include "cli/report_xlsx.h"
#include "connectors/fs/file_ops.h"
#include "engine/calendar/civil_date.h"
#include "engine/report/kpi_html.h"

namespace jimu::cli {
namespace {

// The failed and interrupted runs listed by the JSON and Excel reports (newest first; the rest
// are counted), and by the HTML page, which is meant to be printed.
constexpr int kFailuresListed = 10000;
constexpr int kFailuresPrinted = 100;

const CmdSpec kKpiSpec = {
    "report kpi",
    "[--fy YEAR] [--format text|json|csv|xlsx|html] [--out FILE]",
    "The RPA KPI of a fiscal year (年度: April YEAR to March YEAR+1): operations counted per kind\n"
    "and division, runs, items and estimated hours saved, the electronic approval rate (電子決裁率)\n"
    "and the paperless receipt rate (収受), beside the baselines and targets of jimu.conf [kpi].\n"
    "Dry, failed and interrupted runs never count an operation.\n"
    "\n"
    "xlsx: a workbook in Japanese for meetings: 概要 (the figures against baseline and target, with\n"
    "charts of operations per month against the target, runs per month and hours saved per\n"
    "division), 業務, 所属, 月別 and 失敗 (failed and interrupted runs, newest 10,000). Needs --out.\n"
    "html: one printable page (A4) with the charts as inline SVG; nothing loaded from outside.\n"
    "A closed fiscal year gives the same report every time (the workbook byte for byte).\n"
    "Files are written atomically: a failed write leaves FILE as it was.",
    {{"fy", "YEAR", "the fiscal year, e.g. 2026 for 令和8年度 (default: the current one)"},
     {"format", "FORMAT", "text (default), json, csv, xlsx or html"},
     {"out", "FILE", "write to FILE instead of standard output (required for xlsx)"}},
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
  auto format = format_option(*args, {"text", "json", "csv", "xlsx", "html"}, &code);
  if (!format) return code;
  if (*format == "xlsx" && !args->get("out")) {
    return fail("--format xlsx needs --out FILE (a workbook is not written to the terminal)",
                kExitUsage);
  }
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
  options->failures_limit = *format == "json" || *format == "xlsx" ? kFailuresListed
                            : *format == "html"                   ? kFailuresPrinted
                                                                  : 0;
  auto report = compute_kpi(*(*app)->store, fy, *options);
  if (!report) return fail(report.status());
  if (*format == "xlsx") {
    const std::string out = *args->get("out");
    Status s = write_kpi_xlsx(*report, out, out);
    if (!s) return fail(s);
    std::cerr << "wrote " << out << "\n";
    return kExitOk;
  }
  std::string text = *format == "json"   ? kpi_to_json(*report)
                     : *format == "csv"  ? kpi_to_csv(*report)
                     : *format == "html" ? report::kpi_to_html(*report, kFailuresPrinted)
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

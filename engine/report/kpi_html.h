// The KPI report of a fiscal year as one printable HTML page (jimu report kpi --format html), and
// its pieces for the web dashboard: the stylesheet, the body fragment and the charts.
//
// The page needs nothing from outside: the charts are inline SVG (svg_chart.h), the stylesheet is
// in the page, no script and no font is loaded. Every text from the store (operation, division and
// workflow names, error messages) is escaped, so markup in a name shows as text. The page is a pure
// function of the report (no clock): the same report gives the same bytes. Print: A4 portrait.
// Thread-safe.
#pragma once

#include <string>

#include "engine/kpi/kpi.h"
#include "engine/report/svg_chart.h"

namespace jimu::report {

// "2026年度（令和8年度）"
std::string fiscal_year_title(const KpiReport& report);

// The three charts: operations per month cumulative against the target line, runs per month
// (succeeded and failed), hours saved per division.
svg::Chart operations_chart(const KpiReport& report);
svg::Chart runs_chart(const KpiReport& report);
svg::Chart hours_chart(const KpiReport& report);

// The page's stylesheet (screen and print). A server under a CSP without 'unsafe-inline' serves
// it as a file and links it; the standalone page inlines it.
std::string kpi_html_css();

// Everything inside <body>: headline figures, charts and the tables. At most max_failures of the
// report's failures are listed (the rest are counted).
std::string kpi_html_body(const KpiReport& report, size_t max_failures = 100);

// The whole page: <!DOCTYPE html> ... with the stylesheet inlined.
std::string kpi_to_html(const KpiReport& report, size_t max_failures = 100);

}  // namespace jimu::report

#include "engine/report/kpi_html.h"

#include <catch2/catch.hpp>
#include <string>

using namespace jimu;

namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

KpiReport sample() {
  KpiReport r;
  r.fiscal_year = 2026;
  r.label = "令和8年度";
  r.from = "2026-04-01";
  r.to = "2027-03-31";
  r.operations_counted = 2;
  r.by_kind = {{OperationKind::kRpa, 2}, {OperationKind::kAi, 0}, {OperationKind::kOtherIct, 0}};
  KpiOperationRow op;
  op.id = "GYO-1";
  op.name = "<b>口座振替</b>点検 ㈱";
  op.division = "税務課<script>";
  op.counted = true;
  op.runs = 1234567;
  op.succeeded = 1234560;
  op.items = 9876543;
  op.hours_saved = 1234.56;
  r.operations.push_back(op);
  r.runs_total = 1234567;
  r.runs_failed = 7;
  r.items = 9876543;
  r.hours_saved = 1234.56;
  r.by_division.push_back({"税務課<script>", 2, 1234567, 9876543, 1234.56});
  for (int m = 4; m <= 15; ++m) {
    KpiMonthRow row;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d-%02d", m > 12 ? 2027 : 2026, m > 12 ? m - 12 : m);
    row.month = buf;
    row.operations_cumulative = m >= 6 ? 2 : 0;
    r.by_month.push_back(row);
  }
  r.approval.electronic_rate = 83.333;
  r.approval.decided = 12;
  r.approval.electronic = 10;
  r.approval.paper = 2;
  r.targets["operations"] = {3.0, 11.0};
  for (int i = 0; i < 7; ++i) {
    KpiFailureRow f;
    f.run_id = 100 - i;
    f.started = "2026-11-2" + std::to_string(i) + " 02:00:00";
    f.workflow_name = "照会'" + std::to_string(i);
    f.status = i == 0 ? "interrupted" : "failed";
    f.error = "in/a.csv:7: \"髙橋\" & <img src=x>";
    r.failures.push_back(f);
  }
  return r;
}

}  // namespace

TEST_CASE("kpi html: names, errors and titles from the store show as text", "[report]") {
  std::string page = report::kpi_to_html(sample());
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("<b>") == std::string::npos);
  CHECK(page.find("<img") == std::string::npos);
  CHECK(page.find("style=\"") == std::string::npos);
  CHECK(page.find("<td>&lt;b&gt;口座振替&lt;/b&gt;点検 ㈱</td>") != std::string::npos);
  CHECK(page.find("<td>税務課&lt;script&gt;</td>") != std::string::npos);
  CHECK(page.find("<td>in/a.csv:7: &quot;髙橋&quot; &amp; &lt;img src=x&gt;</td>") !=
        std::string::npos);
  CHECK(page.find("<td>照会&#39;3</td>") != std::string::npos);
}

TEST_CASE("kpi html: one page with its stylesheet, three charts and the five sections", "[report]") {
  std::string page = report::kpi_to_html(sample());
  CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">", 0) == 0);
  CHECK(page.find("<title>RPA KPI報告 2026年度（令和8年度）</title>") != std::string::npos);
  CHECK(page.find("<style>\n" + report::kpi_html_css() + "</style>") != std::string::npos);
  CHECK(page.find("<body>\n" + report::kpi_html_body(sample()) + "</body>") != std::string::npos);
  CHECK(count(page, "<svg ") == 3);
  for (const char* id : {"summary", "charts", "operations", "divisions", "months", "failures"}) {
    CHECK(page.find(std::string("<section id=\"") + id + "\">") != std::string::npos);
  }
  CHECK(page.substr(page.size() - 16) == "</body>\n</html>\n");
}

TEST_CASE("kpi html: figures are grouped by thousands with one decimal beside their target",
          "[report]") {
  std::string body = report::kpi_html_body(sample());
  CHECK(body.find("<th scope=\"row\">対象業務数（業務）</th><td class=\"num\">2</td><td "
                  "class=\"num\">3</td><td class=\"num\">11</td><td>RPA 2／AI 0／その他ICT 0</td>") !=
        std::string::npos);
  CHECK(body.find("<th scope=\"row\">実行回数（回）</th><td class=\"num\">1,234,567</td><td "
                  "class=\"num\">-</td>") != std::string::npos);
  CHECK(body.find("<td class=\"num\">1,234.6</td>") != std::string::npos);  // hours
  CHECK(body.find("<th scope=\"row\">電子決裁率（%）</th><td class=\"num\">83.3</td>") !=
        std::string::npos);
  CHECK(body.find("<th scope=\"row\">収受文書のペーパーレス化率（%）</th><td class=\"num\">-</td>") !=
        std::string::npos);
  CHECK(body.find("<td>2026-06</td><td class=\"num\">0</td><td class=\"num\">0</td><td "
                  "class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">2</td>") !=
        std::string::npos);
}

TEST_CASE("kpi html: the failures beyond the printed ones are counted, not listed", "[report]") {
  std::string body = report::kpi_html_body(sample(), 3);
  CHECK(body.find("<p class=\"note\">7 件（新しい順に 3 件を表示）</p>") != std::string::npos);
  CHECK(count(body, "<td>in/a.csv:7:") == 3);
  CHECK(body.find("<td class=\"num\">100</td><td>2026-11-20 02:00:00</td>") != std::string::npos);
  CHECK(body.find("<td>中断</td>") != std::string::npos);
  body = report::kpi_html_body(sample());
  CHECK(body.find("<p class=\"note\">7 件</p>") != std::string::npos);
  CHECK(count(body, "<td>in/a.csv:7:") == 7);
}

TEST_CASE("kpi html: an empty year draws its charts as 'no data', not broken axes", "[report]") {
  KpiReport r;
  r.fiscal_year = 2019;
  r.label = "令和元年度";
  std::string page = report::kpi_to_html(r);
  CHECK(page.find("<title>RPA KPI報告 2019年度（令和元年度）</title>") != std::string::npos);
  CHECK(count(page, ">データがありません</text>") == 3);
  CHECK(page.find("<p class=\"note\">0 件</p>") != std::string::npos);
  CHECK(page.find("<table>\n<thead><tr><th scope=\"col\">実行ID") == std::string::npos);
}

TEST_CASE("kpi html: the operations chart shows the target as a line when there is one",
          "[report]") {
  svg::Chart c = report::operations_chart(sample());
  REQUIRE(c.series.size() == 2);
  CHECK(c.series[1].kind == svg::Series::kLine);
  CHECK(c.series[1].values == std::vector<double>(12, 11.0));
  CHECK(c.categories.front() == "4月");
  CHECK(c.categories.back() == "3月");
  KpiReport r = sample();
  r.targets.clear();
  CHECK(report::operations_chart(r).series.size() == 1);
  CHECK(report::hours_chart(r).categories == std::vector<std::string>{"税務課<script>"});
}

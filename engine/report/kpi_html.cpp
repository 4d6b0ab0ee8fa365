#include "engine/report/kpi_html.h"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

namespace jimu::report {
namespace {

using svg::escape_html;

double round1(double v) { return std::round(v * 10) / 10; }

std::string fmt_int(int64_t n) {
  std::string s = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return (n < 0 ? "-" : "") + s;
}

// One decimal, grouped, locale-free ("1,234.5"); whole numbers without the decimal.
std::string fmt_num(double v) {
  v = round1(v);
  if (std::floor(v) == v && std::fabs(v) < 1e15) return fmt_int(static_cast<int64_t>(v));
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::fixed, 1);
  std::string s(buf, r.ptr);
  size_t dot = s.find('.');
  std::string whole = fmt_int(std::stoll(s.substr(0, dot)));
  return (v < 0 ? "-" : "") + whole + s.substr(dot);
}

std::string fmt_opt(const std::optional<double>& v) { return v ? fmt_num(*v) : "-"; }

const char* kind_label(OperationKind k) {
  switch (k) {
    case OperationKind::kRpa: return "RPA";
    case OperationKind::kAi: return "AI";
    case OperationKind::kOtherIct: return "その他ICT";
  }
  return "";
}

std::string month_short(const std::string& month) {  // "2026-04" -> "4月"
  if (month.size() != 7) return month;
  return std::to_string(std::stoi(month.substr(5, 2))) + "月";
}

std::optional<double> target_of(const KpiReport& r, const std::string& metric, bool baseline) {
  auto it = r.targets.find(metric);
  if (it == r.targets.end()) return std::nullopt;
  return baseline ? it->second.baseline : it->second.target;
}

// A table cell: numbers right-aligned by class.
std::string td(const std::string& escaped, bool number = false) {
  return number ? "<td class=\"num\">" + escaped + "</td>" : "<td>" + escaped + "</td>";
}

std::string th_row(std::initializer_list<const char*> names) {
  std::string s = "<thead><tr>";
  for (const char* n : names) s += std::string("<th scope=\"col\">") + n + "</th>";
  return s + "</tr></thead>\n";
}

}  // namespace

std::string fiscal_year_title(const KpiReport& r) {
  return std::to_string(r.fiscal_year) + "年度（" + r.label + "）";
}

svg::Chart operations_chart(const KpiReport& r) {
  svg::Chart c;
  c.title = "業務数の累計と目標（" + fiscal_year_title(r) + "）";
  c.unit = "業務";
  svg::Series cumulative{"業務数（累計）", {}, svg::Series::kBar};
  for (const auto& m : r.by_month) {
    c.categories.push_back(month_short(m.month));
    cumulative.values.push_back(static_cast<double>(m.operations_cumulative));
  }
  c.series.push_back(cumulative);
  if (auto target = target_of(r, "operations", false)) {
    c.series.push_back({"目標", std::vector<double>(r.by_month.size(), *target), svg::Series::kLine});
  }
  return c;
}

svg::Chart runs_chart(const KpiReport& r) {
  svg::Chart c;
  c.title = "月別実行回数";
  c.unit = "回";
  svg::Series ok{"成功", {}, svg::Series::kBar}, failed{"失敗", {}, svg::Series::kBar};
  for (const auto& m : r.by_month) {
    c.categories.push_back(month_short(m.month));
    ok.values.push_back(static_cast<double>(m.succeeded));
    failed.values.push_back(static_cast<double>(m.failed));
  }
  c.series = {ok, failed};
  return c;
}

svg::Chart hours_chart(const KpiReport& r) {
  svg::Chart c;
  c.title = "所属別削減時間（推計）";
  c.unit = "時間";
  svg::Series hours{"削減時間", {}, svg::Series::kBar};
  for (const auto& d : r.by_division) {
    c.categories.push_back(d.division);
    hours.values.push_back(round1(d.hours_saved));
  }
  if (!c.categories.empty()) c.series.push_back(hours);
  return c;
}

std::string kpi_html_css() {
  return R"css(body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif;
  color: #222; margin: 24px auto; max-width: 60rem; font-size: 14px; line-height: 1.5; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; border-bottom: 2px solid #4e79a7; margin: 1.5rem 0 .5rem; }
p.period, p.note { color: #555; margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #bbb; padding: .2rem .4rem; vertical-align: top; }
thead th { background: #ddebf7; }
th[scope=row] { text-align: left; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.jimu-chart { display: block; max-width: 100%; height: auto; margin: .5rem 0; font-family: inherit; }
.charts { display: flex; flex-wrap: wrap; gap: .5rem; }
@page { size: A4 portrait; margin: 15mm 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, .jimu-chart { break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
)css";
}

std::string kpi_html_body(const KpiReport& r, size_t max_failures) {
  std::string o;
  o.reserve(64 * 1024);
  o += "<header>\n<h1>RPA KPI報告 " + escape_html(fiscal_year_title(r)) + "</h1>\n";
  o += "<p class=\"period\">対象期間 " + escape_html(r.from) + " ～ " + escape_html(r.to) + "</p>\n";
  o += "<p class=\"note\">保存された実行記録と文書記録から集計。締めた年度は再作成しても同じ数値になります。</p>\n</header>\n";

  // Headline figures beside baseline and target.
  o += "<section id=\"summary\">\n<h2>概要</h2>\n<table class=\"summary\">\n";
  o += th_row({"指標", "実績", "基準値", "目標値", "内訳・注記"});
  o += "<tbody>\n";
  auto figure = [&](const std::string& label, const std::string& value, const std::string& metric,
                    const std::string& note) {
    o += "<tr><th scope=\"row\">" + escape_html(label) + "</th>" + td(value, true);
    o += td(metric.empty() ? "" : fmt_opt(target_of(r, metric, true)), true);
    o += td(metric.empty() ? "" : fmt_opt(target_of(r, metric, false)), true);
    o += td(escape_html(note)) + "</tr>\n";
  };
  std::string kinds;
  for (const auto& [k, n] : r.by_kind) {
    kinds += (kinds.empty() ? "" : "／") + std::string(kind_label(k)) + " " + fmt_int(n);
  }
  figure("対象業務数（業務）", fmt_int(r.operations_counted), "operations", kinds);
  figure("実行回数（回）", fmt_int(r.runs_total), "runs",
         "成功 " + fmt_int(r.runs_succeeded) + "／失敗 " + fmt_int(r.runs_failed) + "／中断 " +
             fmt_int(r.runs_interrupted));
  figure("処理件数（件）", fmt_int(r.items), "items", "");
  figure("削減時間（時間・推計）", fmt_num(r.hours_saved), "hours_saved",
         "処理件数 × 1件あたりの手作業時間 ÷ 60");
  figure("電子決裁率（%）",
         r.approval.electronic_rate ? fmt_num(*r.approval.electronic_rate) : "-", "approval_rate",
         "電子 " + fmt_int(r.approval.electronic) + "／（決裁 " + fmt_int(r.approval.decided) +
             " − 対象外 " + fmt_int(r.approval.excluded) + "）、紙 " + fmt_int(r.approval.paper));
  figure("収受文書のペーパーレス化率（%）",
         r.receipt.paperless_rate ? fmt_num(*r.receipt.paperless_rate) : "-", "receipt_rate",
         "電子 " + fmt_int(r.receipt.electronic) + "／収受 " + fmt_int(r.receipt.received));
  o += "</tbody>\n</table>\n</section>\n";

  o += "<section id=\"charts\">\n<h2>グラフ</h2>\n<div class=\"charts\">\n";
  o += svg::render(operations_chart(r));
  o += svg::render(runs_chart(r));
  o += svg::render(hours_chart(r));
  o += "</div>\n</section>\n";

  o += "<section id=\"operations\">\n<h2>業務</h2>\n<table>\n";
  o += th_row({"業務ID", "業務名", "所属", "種別", "計上", "実行回数", "成功", "失敗", "処理件数",
               "削減時間（時間）"});
  o += "<tbody>\n";
  for (const auto& op : r.operations) {
    o += "<tr>" + td(escape_html(op.id)) + td(escape_html(op.name)) + td(escape_html(op.division)) +
         td(std::string(kind_label(op.kind)) + (op.manual ? "（手動登録）" : "")) +
         td(op.counted ? "○" : "") + td(fmt_int(op.runs), true) + td(fmt_int(op.succeeded), true) +
         td(fmt_int(op.failed), true) + td(fmt_int(op.items), true) +
         td(fmt_num(op.hours_saved), true) + "</tr>\n";
  }
  o += "</tbody>\n</table>\n</section>\n";

  o += "<section id=\"divisions\">\n<h2>所属別</h2>\n<table>\n";
  o += th_row({"所属", "業務数", "実行回数", "処理件数", "削減時間（時間）", "電子決裁率（%）",
               "ペーパーレス化率（%）"});
  o += "<tbody>\n";
  struct Line {
    const KpiDivisionRow* kpi = nullptr;
    const KpiApprovalRow* approval = nullptr;
    const KpiReceiptRow* receipt = nullptr;
  };
  std::map<std::string, Line> lines;
  for (const auto& d : r.by_division) lines[d.division].kpi = &d;
  for (const auto& a : r.approval_by_division) lines[a.division].approval = &a;
  for (const auto& x : r.receipt_by_division) lines[x.division].receipt = &x;
  for (const auto& [name, l] : lines) {
    KpiDivisionRow no_kpi;
    const KpiDivisionRow& k = l.kpi ? *l.kpi : no_kpi;
    o += "<tr>" + td(escape_html(name)) + td(fmt_int(k.operations), true) +
         td(fmt_int(k.runs), true) + td(fmt_int(k.items), true) + td(fmt_num(k.hours_saved), true) +
         td(l.approval ? fmt_opt(l.approval->electronic_rate) : "-", true) +
         td(l.receipt ? fmt_opt(l.receipt->paperless_rate) : "-", true) + "</tr>\n";
  }
  o += "</tbody>\n</table>\n</section>\n";

  o += "<section id=\"months\">\n<h2>月別</h2>\n<table>\n";
  o += th_row({"月", "実行回数", "成功", "失敗", "処理件数", "業務数（累計）"});
  o += "<tbody>\n";
  for (const auto& m : r.by_month) {
    o += "<tr>" + td(escape_html(m.month)) + td(fmt_int(m.runs), true) +
         td(fmt_int(m.succeeded), true) + td(fmt_int(m.failed), true) + td(fmt_int(m.items), true) +
         td(fmt_int(m.operations_cumulative), true) + "</tr>\n";
  }
  o += "</tbody>\n</table>\n</section>\n";

  const int64_t failures_total = r.runs_failed + r.runs_interrupted;
  const size_t shown = std::min(max_failures, r.failures.size());
  o += "<section id=\"failures\">\n<h2>失敗・中断した実行</h2>\n";
  o += "<p class=\"note\">" + fmt_int(failures_total) + " 件";
  if (static_cast<int64_t>(shown) < failures_total) o += "（新しい順に " + fmt_int(shown) + " 件を表示）";
  o += "</p>\n";
  if (shown > 0) {
    o += "<table>\n" + th_row({"実行ID", "開始", "ワークフロー", "業務ID", "所属", "状態", "エラー"});
    o += "<tbody>\n";
    for (size_t i = 0; i < shown; ++i) {
      const KpiFailureRow& f = r.failures[i];
      o += "<tr>" + td(std::to_string(f.run_id), true) + td(escape_html(f.started)) +
           td(escape_html(f.workflow_name)) + td(escape_html(f.operation)) +
           td(escape_html(f.division)) + td(f.status == "interrupted" ? "中断" : "失敗") +
           td(escape_html(f.error)) + "</tr>\n";
    }
    o += "</tbody>\n</table>\n";
  }
  o += "</section>\n";
  return o;
}

std::string kpi_to_html(const KpiReport& r, size_t max_failures) {
  std::string title = "RPA KPI報告 " + fiscal_year_title(r);
  return "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>" + escape_html(title) + "</title>\n<style>\n" + kpi_html_css() +
         "</style>\n</head>\n<body>\n" + kpi_html_body(r, max_failures) + "</body>\n</html>\n";
}

}  // namespace jimu::report

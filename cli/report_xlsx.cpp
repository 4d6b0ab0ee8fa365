#include "cli/report_xlsx.h"

#include <cmath>
#include <map>
#include <optional>

#include "connectors/xlsx/xlsx_writer.h"
#include "engine/calendar/civil_date.h"
#include "engine/report/kpi_html.h"

namespace jimu::cli {
namespace {

using report::fiscal_year_title;
using xlsx::XlsxWriter;

double round1(double v) { return std::round(v * 10) / 10; }  // as the JSON report rounds

const char* kind_label(OperationKind k) {
  switch (k) {
    case OperationKind::kRpa: return "RPA";
    case OperationKind::kAi: return "AI";
    case OperationKind::kOtherIct: return "その他ICT";
  }
  return "";
}

// "2026-04" -> "2026年4月"
std::string month_label(const std::string& month) {
  if (month.size() != 7) return month;
  return month.substr(0, 4) + "年" + std::to_string(std::stoi(month.substr(5, 2))) + "月";
}

// A sheet being filled row by row (the writer runs in constant memory: rows only go forward).
class SheetWriter {
 public:
  SheetWriter(XlsxWriter& w, int sheet) : w_(w), sheet_(sheet) {}
  void text(uint32_t row, uint32_t col, const std::string& s, int fmt = -1) {
    keep(w_.write_string(sheet_, row, col, s.data(), s.size(), fmt));
  }
  void number(uint32_t row, uint32_t col, double v, int fmt = -1) {
    keep(w_.write_number(sheet_, row, col, v, fmt));
  }
  void optional(uint32_t row, uint32_t col, const std::optional<double>& v, int fmt = -1) {
    if (v) number(row, col, *v, fmt);
  }
  void header(uint32_t row, const std::vector<std::string>& names, int fmt) {
    for (uint32_t c = 0; c < names.size(); ++c) text(row, c, names[c], fmt);
  }
  void keep(Status s) {
    if (status_ && !s) status_ = s;
  }
  const Status& status() const { return status_; }
  int sheet() const { return sheet_; }

 private:
  XlsxWriter& w_;
  int sheet_;
  Status status_;
};

struct Formats {
  int title = -1, header = -1, integer = -1, decimal = -1, label = -1, note = -1;
};

std::optional<double> target_of(const KpiReport& r, const std::string& metric, bool baseline) {
  auto it = r.targets.find(metric);
  if (it == r.targets.end()) return std::nullopt;
  return baseline ? it->second.baseline : it->second.target;
}

std::optional<double> rounded(const std::optional<double>& v) {
  if (!v) return v;
  return round1(*v);
}

std::string range(const std::string& sheet, int col, int first_row, int last_row) {
  // Rows and columns from 0 here; A1 notation counts rows from 1. Only columns A..Z are used.
  std::string c(1, static_cast<char>('A' + col));
  return "'" + sheet + "'!$" + c + "$" + std::to_string(first_row + 1) + ":$" + c + "$" +
         std::to_string(last_row + 1);
}

}  // namespace

Status write_kpi_xlsx(const KpiReport& r, const std::string& path, const std::string& display) {
  xlsx::XlsxWriterOptions options;
  options.properties.title = "RPA KPI報告 " + fiscal_year_title(r);
  options.properties.subject = "業務数・実行回数・処理件数・削減時間・電子決裁率・収受ペーパーレス化率";
  options.properties.author = "jimu";
  options.properties.comments = "jimu report kpi --fy " + std::to_string(r.fiscal_year);
  // The first moment after the fiscal year (April 1, 00:00 JST): the same for every run of the
  // report, so the bytes are too.
  options.properties.created =
      (fiscal_year_end(r.fiscal_year).days_since_epoch() + 1) * 86400 - 9 * 3600;
  auto created = XlsxWriter::create(path, display, options);
  if (!created) return created.status();
  XlsxWriter& w = **created;

  Formats f;
  auto format = [&](const xlsx::FormatSpec& spec) {
    auto id = w.add_format(spec);
    return id ? *id : -1;
  };
  {
    xlsx::FormatSpec s;
    s.bold = true;
    s.font_size = 14;
    f.title = format(s);
    s = {};
    s.bold = true;
    s.bg_color = 0xDDEBF7;
    s.border = "thin";
    f.header = format(s);
    s = {};
    s.num_format = "#,##0";
    f.integer = format(s);
    s.num_format = "#,##0.0";
    f.decimal = format(s);
    s = {};
    s.bold = true;
    f.label = format(s);
    s = {};
    s.font_color = 0x666666;
    f.note = format(s);
  }

  const char* kSummary = "概要";
  const char* kOperations = "業務";
  const char* kDivisions = "所属";
  const char* kMonths = "月別";
  const char* kFailures = "失敗";
  std::vector<SheetWriter> sheets;
  for (const char* name : {kSummary, kOperations, kDivisions, kMonths, kFailures}) {
    auto id = w.add_sheet(name);
    if (!id) return id.status();
    sheets.emplace_back(w, *id);
  }
  SheetWriter& sum = sheets[0];
  SheetWriter& ops = sheets[1];
  SheetWriter& div = sheets[2];
  SheetWriter& mon = sheets[3];
  SheetWriter& fail = sheets[4];

  // 概要: one row per figure, beside its baseline and target.
  sum.keep(w.set_column(sum.sheet(), 0, 0, 34, -1));
  sum.keep(w.set_column(sum.sheet(), 1, 3, 12, -1));
  sum.keep(w.set_column(sum.sheet(), 4, 4, 40, -1));
  sum.text(0, 0, "RPA KPI報告 " + fiscal_year_title(r), f.title);
  sum.text(1, 0, "対象期間 " + r.from + " ～ " + r.to, f.note);
  sum.header(3, {"指標", "実績", "基準値", "目標値", "内訳・注記"}, f.header);
  uint32_t row = 4;
  auto figure = [&](const std::string& label, double value, int fmt, const std::string& metric,
                    const std::string& note) {
    sum.text(row, 0, label, metric.empty() ? -1 : f.label);
    sum.number(row, 1, value, fmt);
    if (!metric.empty()) {
      sum.optional(row, 2, target_of(r, metric, true), fmt);
      sum.optional(row, 3, target_of(r, metric, false), fmt);
    }
    if (!note.empty()) sum.text(row, 4, note, f.note);
    ++row;
  };
  figure("対象業務数（業務）", static_cast<double>(r.operations_counted), f.integer, "operations",
         "失敗・中断・ドライランの実行は計上しない");
  for (const auto& [k, n] : r.by_kind) {
    figure(std::string("　うち") + kind_label(k), static_cast<double>(n), f.integer, "", "");
  }
  figure("実行回数（回）", static_cast<double>(r.runs_total), f.integer, "runs", "");
  figure("　成功", static_cast<double>(r.runs_succeeded), f.integer, "", "");
  figure("　失敗", static_cast<double>(r.runs_failed), f.integer, "", "");
  figure("　中断", static_cast<double>(r.runs_interrupted), f.integer, "", "");
  figure("処理件数（件）", static_cast<double>(r.items), f.integer, "items", "");
  figure("削減時間（時間・推計）", round1(r.hours_saved), f.decimal, "hours_saved",
         "処理件数 × 1件あたりの手作業時間 ÷ 60");
  auto rate_row = [&](const std::string& label, const std::optional<double>& rate,
                      const std::string& metric, const std::string& note) {
    sum.text(row, 0, label, f.label);
    if (rate) sum.number(row, 1, round1(*rate), f.decimal); else sum.text(row, 1, "-");
    sum.optional(row, 2, target_of(r, metric, true), f.decimal);
    sum.optional(row, 3, target_of(r, metric, false), f.decimal);
    sum.text(row, 4, note, f.note);
    ++row;
  };
  rate_row("電子決裁率（%）", r.approval.electronic_rate, "approval_rate",
           "電子 " + std::to_string(r.approval.electronic) + " ／（決裁 " +
               std::to_string(r.approval.decided) + " − 対象外 " +
               std::to_string(r.approval.excluded) + "）、紙 " + std::to_string(r.approval.paper));
  rate_row("収受文書のペーパーレス化率（%）", r.receipt.paperless_rate, "receipt_rate",
           "電子 " + std::to_string(r.receipt.electronic) + " ／ 収受 " +
               std::to_string(r.receipt.received));
  ++row;
  const int64_t failures_total = r.runs_failed + r.runs_interrupted;
  std::string failures_note = "失敗・中断の実行 " + std::to_string(failures_total) + " 件";
  if (static_cast<int64_t>(r.failures.size()) < failures_total) {
    failures_note += "（「失敗」シートは新しい順に " + std::to_string(r.failures.size()) + " 件）";
  }
  sum.text(row++, 0, failures_note, f.note);
  const uint32_t charts_row = row + 1;

  // 業務
  ops.header(0, {"業務ID", "業務名", "所属", "種別", "登録", "計上", "実行回数", "成功", "失敗",
                 "中断", "処理件数", "削減時間（時間）", "計上開始月"},
             f.header);
  ops.keep(w.set_column(ops.sheet(), 0, 0, 12, -1));
  ops.keep(w.set_column(ops.sheet(), 1, 1, 30, -1));
  ops.keep(w.set_column(ops.sheet(), 2, 2, 16, -1));
  ops.keep(w.set_column(ops.sheet(), 3, 12, 11, -1));
  row = 1;
  for (const auto& op : r.operations) {
    ops.text(row, 0, op.id);
    ops.text(row, 1, op.name);
    ops.text(row, 2, op.division);
    ops.text(row, 3, kind_label(op.kind));
    ops.text(row, 4, op.manual ? "手動登録" : "実行");
    ops.text(row, 5, op.counted ? "○" : "");
    ops.number(row, 6, static_cast<double>(op.runs), f.integer);
    ops.number(row, 7, static_cast<double>(op.succeeded), f.integer);
    ops.number(row, 8, static_cast<double>(op.failed), f.integer);
    ops.number(row, 9, static_cast<double>(op.interrupted), f.integer);
    ops.number(row, 10, static_cast<double>(op.items), f.integer);
    ops.number(row, 11, round1(op.hours_saved), f.decimal);
    if (!op.first_month.empty()) ops.text(row, 12, month_label(op.first_month));
    ++row;
  }
  ops.keep(w.freeze(ops.sheet(), 1, 0));
  ops.keep(w.autofilter(ops.sheet(), 0, 0, row - 1, 12));

  // 所属: the KPI per division joined with the documents per division.
  struct DivisionLine {
    const KpiDivisionRow* kpi = nullptr;
    const KpiApprovalRow* approval = nullptr;
    const KpiReceiptRow* receipt = nullptr;
  };
  std::map<std::string, DivisionLine> divisions;
  for (const auto& d : r.by_division) divisions[d.division].kpi = &d;
  for (const auto& a : r.approval_by_division) divisions[a.division].approval = &a;
  for (const auto& x : r.receipt_by_division) divisions[x.division].receipt = &x;
  div.header(0, {"所属", "業務数", "実行回数", "処理件数", "削減時間（時間）", "決裁", "電子決裁",
                 "紙決裁", "対象外", "電子決裁率（%）", "収受", "電子収受", "ペーパーレス化率（%）"},
             f.header);
  div.keep(w.set_column(div.sheet(), 0, 0, 18, -1));
  div.keep(w.set_column(div.sheet(), 1, 12, 12, -1));
  row = 1;
  for (const auto& [name, d] : divisions) {
    KpiDivisionRow no_kpi;
    KpiApprovalRow no_approval;
    KpiReceiptRow no_receipt;
    const KpiDivisionRow& k = d.kpi ? *d.kpi : no_kpi;
    const KpiApprovalRow& a = d.approval ? *d.approval : no_approval;
    const KpiReceiptRow& x = d.receipt ? *d.receipt : no_receipt;
    div.text(row, 0, name);
    div.number(row, 1, static_cast<double>(k.operations), f.integer);
    div.number(row, 2, static_cast<double>(k.runs), f.integer);
    div.number(row, 3, static_cast<double>(k.items), f.integer);
    div.number(row, 4, round1(k.hours_saved), f.decimal);
    div.number(row, 5, static_cast<double>(a.decided), f.integer);
    div.number(row, 6, static_cast<double>(a.electronic), f.integer);
    div.number(row, 7, static_cast<double>(a.paper), f.integer);
    div.number(row, 8, static_cast<double>(a.excluded), f.integer);
    div.optional(row, 9, rounded(a.electronic_rate), f.decimal);
    div.number(row, 10, static_cast<double>(x.received), f.integer);
    div.number(row, 11, static_cast<double>(x.electronic), f.integer);
    div.optional(row, 12, rounded(x.paperless_rate), f.decimal);
    ++row;
  }
  const int division_rows = static_cast<int>(divisions.size());
  div.keep(w.freeze(div.sheet(), 1, 0));
  div.keep(w.autofilter(div.sheet(), 0, 0, row - 1, 12));

  // 月別
  const std::optional<double> ops_target = target_of(r, "operations", false);
  mon.header(0, {"月", "実行回数", "成功", "失敗", "処理件数", "業務数（累計）", "目標業務数"},
             f.header);
  mon.keep(w.set_column(mon.sheet(), 0, 0, 12, -1));
  mon.keep(w.set_column(mon.sheet(), 1, 6, 14, -1));
  row = 1;
  for (const auto& m : r.by_month) {
    mon.text(row, 0, month_label(m.month));
    mon.number(row, 1, static_cast<double>(m.runs), f.integer);
    mon.number(row, 2, static_cast<double>(m.succeeded), f.integer);
    mon.number(row, 3, static_cast<double>(m.failed), f.integer);
    mon.number(row, 4, static_cast<double>(m.items), f.integer);
    mon.number(row, 5, static_cast<double>(m.operations_cumulative), f.integer);
    mon.optional(row, 6, ops_target, f.integer);
    ++row;
  }
  const int month_rows = static_cast<int>(r.by_month.size());
  mon.keep(w.freeze(mon.sheet(), 1, 0));

  // 失敗
  fail.header(0, {"実行ID", "開始", "終了", "ワークフローID", "ワークフロー名", "業務ID", "所属",
                  "状態", "処理件数", "エラー"},
              f.header);
  fail.keep(w.set_column(fail.sheet(), 0, 0, 10, -1));
  fail.keep(w.set_column(fail.sheet(), 1, 2, 20, -1));
  fail.keep(w.set_column(fail.sheet(), 3, 7, 14, -1));
  fail.keep(w.set_column(fail.sheet(), 9, 9, 60, -1));
  row = 1;
  for (const auto& x : r.failures) {
    fail.number(row, 0, static_cast<double>(x.run_id));
    fail.text(row, 1, x.started);
    if (!x.ended.empty()) fail.text(row, 2, x.ended);
    fail.text(row, 3, x.workflow_id);
    fail.text(row, 4, x.workflow_name);
    if (!x.operation.empty()) fail.text(row, 5, x.operation);
    if (!x.division.empty()) fail.text(row, 6, x.division);
    fail.text(row, 7, x.status == "interrupted" ? "中断" : "失敗");
    fail.number(row, 8, static_cast<double>(x.items), f.integer);
    // An Excel cell holds at most 32,767 characters; an error message is rarely near that.
    fail.text(row, 9, x.error.size() > 8000 ? x.error.substr(0, 8000) + "…" : x.error);
    ++row;
  }
  fail.keep(w.freeze(fail.sheet(), 1, 0));
  fail.keep(w.autofilter(fail.sheet(), 0, 0, row - 1, 9));

  for (const SheetWriter& s : sheets) {
    if (!s.status()) return s.status();
  }

  // Charts on the summary sheet, drawn from the month and division sheets.
  std::vector<std::pair<xlsx::ChartSpec, uint32_t>> charts;
  {
    xlsx::ChartSpec c;
    c.type = "line";
    c.title = "業務数の累計と目標";
    c.y_axis_title = "業務";
    c.series.push_back({"業務数（累計）", range(kMonths, 0, 1, month_rows),
                        range(kMonths, 5, 1, month_rows)});
    if (ops_target) {
      c.series.push_back({"目標業務数", range(kMonths, 0, 1, month_rows),
                          range(kMonths, 6, 1, month_rows)});
    }
    charts.push_back({c, charts_row});
  }
  {
    xlsx::ChartSpec c;
    c.type = "column";
    c.title = "月別実行回数";
    c.y_axis_title = "回";
    c.series.push_back({"実行回数", range(kMonths, 0, 1, month_rows),
                        range(kMonths, 1, 1, month_rows)});
    charts.push_back({c, charts_row + 16});
  }
  if (division_rows > 0) {
    xlsx::ChartSpec c;
    c.type = "bar";
    c.title = "所属別削減時間";
    c.x_axis_title = "時間";
    c.series.push_back({"削減時間（時間）", range(kDivisions, 0, 1, division_rows),
                        range(kDivisions, 4, 1, division_rows)});
    charts.push_back({c, charts_row + 32});
  }
  for (const auto& [spec, at] : charts) {
    auto chart = w.add_chart(spec);
    if (!chart) return chart.status();
    Status s = w.insert_chart(sum.sheet(), at, 0, *chart);
    if (!s) return s;
  }
  return w.close();
}

}  // namespace jimu::cli

// The KPI report as JSON (for scripts and monitoring), text (for a terminal) and CSV (for Excel).
#include <cmath>
#include <cstdio>
#include <sstream>

#include "engine/core/json_writer.h"
#include "engine/kpi/kpi.h"

namespace jimu {
namespace {

const char* kind_label(OperationKind k) {
  switch (k) {
    case OperationKind::kRpa: return "RPA";
    case OperationKind::kAi: return "AI";
    case OperationKind::kOtherIct: return "その他ICT";
  }
  return "";
}

double round1(double v) { return std::round(v * 10) / 10; }

std::string fmt_int(int64_t n) {
  std::string s = std::to_string(n < 0 ? -n : n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return (n < 0 ? "-" : "") + s;
}

std::string fmt_num(double v) {
  char buf[32];
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    return fmt_int(static_cast<int64_t>(v));
  }
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

void target_json(JsonWriter& w, const KpiReport& r, const std::string& metric) {
  auto it = r.targets.find(metric);
  w.key("baseline");
  if (it != r.targets.end() && it->second.baseline) w.value(*it->second.baseline); else w.null();
  w.key("target");
  if (it != r.targets.end() && it->second.target) w.value(*it->second.target); else w.null();
}

std::string target_text(const KpiReport& r, const std::string& metric) {
  auto it = r.targets.find(metric);
  if (it == r.targets.end()) return "";
  std::string s;
  if (it->second.baseline) s += "基準 " + fmt_num(*it->second.baseline);
  if (it->second.target) s += (s.empty() ? "" : " → ") + std::string("目標 ") + fmt_num(*it->second.target);
  return s.empty() ? "" : "  (" + s + ")";
}

// Pads s with spaces to a display width, counting East Asian wide characters as two columns.
std::string pad(const std::string& s, size_t width) {
  size_t cols = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cols += len >= 3 ? 2 : 1;
    i += len;
  }
  return cols >= width ? s + " " : s + std::string(width - cols, ' ');
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string kpi_to_json(const KpiReport& r) {
  JsonWriter w;
  w.begin_object();
  w.field("fiscal_year", r.fiscal_year).field("label", r.label).field("from", r.from).field("to", r.to);
  w.key("operations").begin_object();
  w.field("counted", r.operations_counted);
  w.key("by_kind").begin_object();
  for (const auto& [k, n] : r.by_kind) w.field(operation_kind_name(k), n);
  w.end_object();
  target_json(w, r, "operations");
  w.key("list").begin_array();
  for (const auto& op : r.operations) {
    w.begin_object()
        .field("id", op.id)
        .field("name", op.name)
        .field("division", op.division)
        .field("kind", operation_kind_name(op.kind))
        .field("manual", op.manual)
        .field("counted", op.counted)
        .field("runs", op.runs)
        .field("succeeded", op.succeeded)
        .field("failed", op.failed)
        .field("items", op.items)
        .field("hours_saved", round1(op.hours_saved));
    w.key("first_month");
    if (op.first_month.empty()) w.null(); else w.value(op.first_month);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.key("runs").begin_object()
      .field("total", r.runs_total)
      .field("succeeded", r.runs_succeeded)
      .field("failed", r.runs_failed)
      .field("interrupted", r.runs_interrupted)
      .field("running", r.runs_running)
      .field("without_operation", r.runs_without_operation);
  target_json(w, r, "runs");
  w.end_object();
  w.field("items", r.items);
  w.field("hours_saved", round1(r.hours_saved));
  w.key("targets").begin_object();
  for (const char* metric : {"items", "hours_saved"}) {
    w.key(metric).begin_object();
    target_json(w, r, metric);
    w.end_object();
  }
  w.end_object();
  w.key("by_division").begin_array();
  for (const auto& d : r.by_division) {
    w.begin_object()
        .field("division", d.division)
        .field("operations", d.operations)
        .field("runs", d.runs)
        .field("items", d.items)
        .field("hours_saved", round1(d.hours_saved))
        .end_object();
  }
  w.end_array();
  w.key("by_month").begin_array();
  for (const auto& m : r.by_month) {
    w.begin_object()
        .field("month", m.month)
        .field("runs", m.runs)
        .field("succeeded", m.succeeded)
        .field("failed", m.failed)
        .field("items", m.items)
        .field("operations_cumulative", m.operations_cumulative)
        .end_object();
  }
  w.end_array();
  // Electronic approval and paperless receipt: no documents are recorded by this version yet,
  // so the counts are zero and the rates undefined (null), not 0%.
  w.key("approval").begin_object()
      .key("electronic_rate").null()
      .field("decided", 0).field("electronic", 0).field("paper", 0).field("excluded", 0)
      .end_object();
  w.key("receipt").begin_object()
      .key("paperless_rate").null()
      .field("received", 0).field("electronic", 0)
      .end_object();
  w.end_object();
  return w.str() + "\n";
}

std::string kpi_to_text(const KpiReport& r) {
  std::ostringstream o;
  o << "RPA KPI " << r.fiscal_year << "年度 (" << r.label << ")  " << r.from << " 〜 " << r.to << "\n\n";
  o << pad("対象業務数 (operations counted)", 34) << fmt_int(r.operations_counted)
    << target_text(r, "operations") << "\n";
  o << pad("", 34);
  bool first = true;
  for (const auto& [k, n] : r.by_kind) {
    o << (first ? "" : " / ") << kind_label(k) << " " << n;
    first = false;
  }
  o << "\n";
  o << pad("実行回数 (runs)", 34) << fmt_int(r.runs_total) << "  (成功 " << fmt_int(r.runs_succeeded)
    << " / 失敗 " << fmt_int(r.runs_failed) << " / 中断 " << fmt_int(r.runs_interrupted);
  if (r.runs_running > 0) o << " / 実行中 " << fmt_int(r.runs_running);
  o << ")" << target_text(r, "runs") << "\n";
  o << pad("処理件数 (items)", 34) << fmt_int(r.items) << target_text(r, "items") << "\n";
  o << pad("削減時間 (hours saved, est.)", 34) << fmt_num(round1(r.hours_saved)) << " h"
    << target_text(r, "hours_saved") << "\n";
  if (!r.by_division.empty()) {
    o << "\n所属別 (by division)\n";
    o << "  " << pad("所属", 20) << pad("業務数", 8) << pad("実行回数", 10) << pad("処理件数", 10)
      << "削減時間(h)\n";
    for (const auto& d : r.by_division) {
      o << "  " << pad(d.division, 20) << pad(fmt_int(d.operations), 8) << pad(fmt_int(d.runs), 10)
        << pad(fmt_int(d.items), 10) << fmt_num(round1(d.hours_saved)) << "\n";
    }
  }
  o << "\n月別 (by month)\n";
  o << "  " << pad("月", 10) << pad("実行回数", 10) << pad("成功", 8) << pad("失敗", 8)
    << pad("処理件数", 10) << "業務数(累計)\n";
  for (const auto& m : r.by_month) {
    o << "  " << pad(m.month, 10) << pad(fmt_int(m.runs), 10) << pad(fmt_int(m.succeeded), 8)
      << pad(fmt_int(m.failed), 8) << pad(fmt_int(m.items), 10) << m.operations_cumulative << "\n";
  }
  if (!r.operations.empty()) {
    o << "\n業務一覧 (operations)\n";
    for (const auto& op : r.operations) {
      o << "  " << (op.counted ? "✔ " : "  ") << pad(op.id, 12) << pad(op.name, 28)
        << pad(op.division, 14) << pad(kind_label(op.kind), 10)
        << (op.manual ? std::string("手動登録") : "実行 " + fmt_int(op.succeeded) + "/" + fmt_int(op.runs))
        << "\n";
    }
  }
  return o.str();
}

std::string kpi_to_csv(const KpiReport& r) {
  std::ostringstream o;
  o << "\xEF\xBB\xBF";  // BOM: Excel on a Japanese Windows then reads UTF-8
  o << "section,key,metric,value,baseline,target\r\n";
  auto row = [&](const std::string& section, const std::string& key, const std::string& metric,
                 const std::string& value, const std::string& target_metric = "") {
    std::string base, target;
    auto it = r.targets.find(target_metric);
    if (it != r.targets.end()) {
      if (it->second.baseline) base = fmt_num(*it->second.baseline);
      if (it->second.target) target = fmt_num(*it->second.target);
    }
    auto plain = [](std::string s) {
      s.erase(std::remove(s.begin(), s.end(), ','), s.end());
      return s;
    };
    o << csv_field(section) << "," << csv_field(key) << "," << csv_field(metric) << ","
      << csv_field(value) << "," << plain(base) << "," << plain(target) << "\r\n";
  };
  std::string fy = std::to_string(r.fiscal_year);
  row("summary", fy, "label", r.label);
  row("summary", fy, "operations_counted", std::to_string(r.operations_counted), "operations");
  for (const auto& [k, n] : r.by_kind) row("kind", operation_kind_name(k), "operations", std::to_string(n));
  row("summary", fy, "runs_total", std::to_string(r.runs_total), "runs");
  row("summary", fy, "runs_succeeded", std::to_string(r.runs_succeeded));
  row("summary", fy, "runs_failed", std::to_string(r.runs_failed));
  row("summary", fy, "runs_interrupted", std::to_string(r.runs_interrupted));
  row("summary", fy, "items", std::to_string(r.items), "items");
  char hours[32];
  std::snprintf(hours, sizeof hours, "%.1f", round1(r.hours_saved));
  row("summary", fy, "hours_saved", hours, "hours_saved");
  for (const auto& d : r.by_division) {
    row("division", d.division, "operations", std::to_string(d.operations));
    row("division", d.division, "runs", std::to_string(d.runs));
    row("division", d.division, "items", std::to_string(d.items));
    std::snprintf(hours, sizeof hours, "%.1f", round1(d.hours_saved));
    row("division", d.division, "hours_saved", hours);
  }
  for (const auto& m : r.by_month) {
    row("month", m.month, "runs", std::to_string(m.runs));
    row("month", m.month, "items", std::to_string(m.items));
    row("month", m.month, "operations_cumulative", std::to_string(m.operations_cumulative));
  }
  for (const auto& op : r.operations) {
    row("operation", op.id, "counted", op.counted ? "1" : "0");
    row("operation", op.id, "runs", std::to_string(op.runs));
    row("operation", op.id, "items", std::to_string(op.items));
  }
  return o.str();
}

}  // namespace jimu

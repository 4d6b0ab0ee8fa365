// The KPI report as JSON (for scripts and monitoring), text (for a terminal) and CSV (for Excel).
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
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

std::string rate_text(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", round1(*v));
  return buf;
}

std::string rate_csv(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", round1(*v));
  return buf;
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
  // The failed and interrupted runs, newest first, as many as KpiOptions::failures_limit asked.
  w.key("failures").begin_object();
  w.field("total", r.runs_failed + r.runs_interrupted);
  w.field("listed", static_cast<int64_t>(r.failures.size()));
  w.key("list").begin_array();
  for (const auto& f : r.failures) {
    w.begin_object()
        .field("run_id", f.run_id)
        .field("started", f.started)
        .field("ended", f.ended)
        .field("workflow_id", f.workflow_id)
        .field("workflow_name", f.workflow_name)
        .field("operation", f.operation)
        .field("division", f.division)
        .field("status", f.status)
        .field("items", f.items)
        .field("error", f.error)
        .end_object();
  }
  w.end_array();
  w.end_object();
  // Rates in percent, one decimal; null (not 0%) when nothing was decided or received.
  auto rate = [&](const char* key, const std::optional<double>& v) {
    w.key(key);
    if (v) w.value(round1(*v)); else w.null();
  };
  auto approval_fields = [&](const KpiApprovalRow& a) {
    rate("electronic_rate", a.electronic_rate);
    w.field("decided", a.decided).field("electronic", a.electronic).field("paper", a.paper)
        .field("excluded", a.excluded).field("routed", a.routed);
  };
  auto receipt_fields = [&](const KpiReceiptRow& x) {
    rate("paperless_rate", x.paperless_rate);
    w.field("received", x.received).field("electronic", x.electronic);
  };
  w.key("approval").begin_object();
  approval_fields(r.approval);
  target_json(w, r, "approval_rate");
  w.key("by_division").begin_array();
  for (const auto& a : r.approval_by_division) {
    w.begin_object().field("division", a.division);
    approval_fields(a);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.key("receipt").begin_object();
  receipt_fields(r.receipt);
  target_json(w, r, "receipt_rate");
  w.key("by_division").begin_array();
  for (const auto& x : r.receipt_by_division) {
    w.begin_object().field("division", x.division);
    receipt_fields(x);
    w.end_object();
  }
  w.end_array();
  w.end_object();
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
  o << pad("電子決裁率 (electronic approval)", 34) << rate_text(r.approval.electronic_rate)
    << "  (電子 " << fmt_int(r.approval.electronic) << " / 紙 " << fmt_int(r.approval.paper)
    << " / 対象外 " << fmt_int(r.approval.excluded) << " / 決裁 " << fmt_int(r.approval.decided)
    << ")" << target_text(r, "approval_rate") << "\n";
  o << pad("収受ペーパーレス率 (paperless)", 34) << rate_text(r.receipt.paperless_rate)
    << "  (電子 " << fmt_int(r.receipt.electronic) << " / 収受 " << fmt_int(r.receipt.received)
    << ")" << target_text(r, "receipt_rate") << "\n";
  if (!r.approval_by_division.empty() || !r.receipt_by_division.empty()) {
    o << "\n文書 所属別 (documents by division)\n";
    o << "  " << pad("所属", 20) << pad("決裁", 8) << pad("電子", 8) << pad("紙", 8)
      << pad("対象外", 8) << pad("電子決裁率", 12) << pad("収受", 8) << "ペーパーレス率\n";
    std::map<std::string, std::pair<const KpiApprovalRow*, const KpiReceiptRow*>> rows;
    for (const auto& a : r.approval_by_division) rows[a.division].first = &a;
    for (const auto& x : r.receipt_by_division) rows[x.division].second = &x;
    KpiApprovalRow no_a;
    KpiReceiptRow no_x;
    for (const auto& [division, p] : rows) {
      const KpiApprovalRow& a = p.first ? *p.first : no_a;
      const KpiReceiptRow& x = p.second ? *p.second : no_x;
      o << "  " << pad(division, 20) << pad(fmt_int(a.decided), 8) << pad(fmt_int(a.electronic), 8)
        << pad(fmt_int(a.paper), 8) << pad(fmt_int(a.excluded), 8)
        << pad(rate_text(a.electronic_rate), 12) << pad(fmt_int(x.received), 8)
        << rate_text(x.paperless_rate) << "\n";
    }
  }
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
  row("summary", fy, "electronic_approval_rate", rate_csv(r.approval.electronic_rate),
      "approval_rate");
  row("summary", fy, "decided", std::to_string(r.approval.decided));
  row("summary", fy, "decided_electronic", std::to_string(r.approval.electronic));
  row("summary", fy, "decided_paper", std::to_string(r.approval.paper));
  row("summary", fy, "decided_excluded", std::to_string(r.approval.excluded));
  row("summary", fy, "paperless_receipt_rate", rate_csv(r.receipt.paperless_rate), "receipt_rate");
  row("summary", fy, "received", std::to_string(r.receipt.received));
  row("summary", fy, "received_electronic", std::to_string(r.receipt.electronic));
  for (const auto& a : r.approval_by_division) {
    row("division", a.division, "electronic_approval_rate", rate_csv(a.electronic_rate));
    row("division", a.division, "decided", std::to_string(a.decided));
    row("division", a.division, "decided_electronic", std::to_string(a.electronic));
    row("division", a.division, "decided_paper", std::to_string(a.paper));
    row("division", a.division, "decided_excluded", std::to_string(a.excluded));
  }
  for (const auto& x : r.receipt_by_division) {
    row("division", x.division, "paperless_receipt_rate", rate_csv(x.paperless_rate));
    row("division", x.division, "received", std::to_string(x.received));
    row("division", x.division, "received_electronic", std::to_string(x.electronic));
  }
  for (const auto& op : r.operations) {
    row("operation", op.id, "counted", op.counted ? "1" : "0");
    row("operation", op.id, "runs", std::to_string(op.runs));
    row("operation", op.id, "items", std::to_string(op.items));
  }
  return o.str();
}

}  // namespace jimu

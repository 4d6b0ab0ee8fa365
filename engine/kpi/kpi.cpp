#include "engine/kpi/kpi.h"

#include <algorithm>

#include "engine/calendar/civil_date.h"
#include "engine/calendar/local_time.h"

namespace jimu {
namespace {

std::string month_of(const std::string& day) { return day.substr(0, 7); }

std::vector<std::string> fiscal_months(int fy) {
  std::vector<std::string> out;
  for (int i = 0; i < 12; ++i) {
    int m = 4 + i;
    int y = fy + (m > 12 ? 1 : 0);
    if (m > 12) m -= 12;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    out.push_back(buf);
  }
  return out;
}

void finish_rates(KpiApprovalRow& a) {
  a.decided = a.electronic + a.paper + a.excluded;
  int64_t denominator = a.decided - a.excluded;
  if (denominator > 0) a.electronic_rate = 100.0 * static_cast<double>(a.electronic) / denominator;
}

void finish_rates(KpiReceiptRow& r) {
  if (r.received > 0) r.paperless_rate = 100.0 * static_cast<double>(r.electronic) / r.received;
}

}  // namespace

Result<KpiReport> compute_kpi(Store& store, int fy, const KpiOptions& options) {
  KpiReport r;
  r.fiscal_year = fy;
  r.label = fiscal_year_wareki_label(fy);
  r.from = fiscal_year_start(fy).iso();
  r.to = fiscal_year_end(fy).iso();
  r.targets = options.targets;
  for (OperationKind k : {OperationKind::kRpa, OperationKind::kAi, OperationKind::kOtherIct}) {
    r.by_kind[k] = 0;
  }

  auto ops = store.list_operations();
  if (!ops) return ops.status();
  auto facts = store.kpi_facts(r.from, r.to);
  if (!facts) return facts.status();

  std::map<std::string, KpiOperationRow> rows;  // selected kinds only
  for (const Operation& op : *ops) {
    if (!options.kinds.count(op.kind)) continue;
    KpiOperationRow row;
    row.id = op.id;
    row.name = op.name;
    row.division = op.division;
    row.kind = op.kind;
    row.manual = op.manual;
    if (op.manual && op.go_live <= r.to && (!op.retired || *op.retired >= r.from)) {
      row.counted = true;
      row.first_month = std::max(month_of(op.go_live), month_of(r.from));
    }
    rows[op.id] = row;
  }
  std::map<std::string, double> minutes;
  for (const Operation& op : *ops) minutes[op.id] = op.minutes_per_item;

  auto months = fiscal_months(fy);
  std::map<std::string, KpiMonthRow> by_month;
  for (const auto& m : months) by_month[m].month = m;

  for (const KpiFact& f : *facts) {
    r.runs_total += f.runs;
    KpiMonthRow& mrow = by_month[f.month];
    mrow.runs += f.runs;
    switch (f.status) {
      case RunStatus::kSucceeded:
        r.runs_succeeded += f.runs;
        mrow.succeeded += f.runs;
        r.items += f.items;
        mrow.items += f.items;
        break;
      case RunStatus::kFailed: r.runs_failed += f.runs; mrow.failed += f.runs; break;
      case RunStatus::kInterrupted: r.runs_interrupted += f.runs; break;
      case RunStatus::kRunning: r.runs_running += f.runs; break;
    }
    if (!f.operation) {
      r.runs_without_operation += f.runs;
      continue;
    }
    auto it = rows.find(*f.operation);
    if (it == rows.end()) continue;  // unregistered or a kind not selected
    KpiOperationRow& row = it->second;
    row.runs += f.runs;
    if (f.status == RunStatus::kSucceeded) {
      row.succeeded += f.runs;
      row.items += f.items;
      double hours = static_cast<double>(f.items) * minutes[row.id] / 60.0;
      row.hours_saved += hours;
      r.hours_saved += hours;
      if (!row.manual) {
        row.counted = true;
        if (row.first_month.empty() || f.month < row.first_month) row.first_month = f.month;
      }
    } else if (f.status == RunStatus::kFailed) {
      row.failed += f.runs;
    } else if (f.status == RunStatus::kInterrupted) {
      row.interrupted += f.runs;
    }
  }

  std::map<std::string, KpiDivisionRow> divisions;
  for (auto& [id, row] : rows) {
    KpiDivisionRow& d = divisions[row.division];
    d.division = row.division;
    d.runs += row.runs;
    d.items += row.items;
    d.hours_saved += row.hours_saved;
    if (row.counted) {
      ++r.operations_counted;
      ++r.by_kind[row.kind];
      ++d.operations;
    }
    r.operations.push_back(row);
  }
  for (auto& [name, d] : divisions) r.by_division.push_back(d);
  for (const auto& m : months) {
    KpiMonthRow row = by_month[m];
    for (const auto& op : r.operations) {
      if (op.counted && op.first_month <= m) ++row.operations_cumulative;
    }
    r.by_month.push_back(row);
  }

  auto documents = store.document_facts(r.from, r.to);
  if (!documents) return documents.status();
  std::map<std::string, KpiApprovalRow> approvals;
  std::map<std::string, KpiReceiptRow> receipts;
  for (const DocumentFact& f : *documents) {
    if (f.kind.rfind("received_", 0) == 0) {
      for (KpiReceiptRow* row : {&r.receipt, &receipts[f.division]}) {
        row->received += f.count;
        if (f.kind == "received_electronic") row->electronic += f.count;
      }
      continue;
    }
    for (KpiApprovalRow* row : {&r.approval, &approvals[f.division]}) {
      if (f.kind == "routed") {
        row->routed += f.count;
        row->electronic += f.count;
      } else if (f.kind == "electronic") {
        row->electronic += f.count;
      } else if (f.kind == "paper") {
        row->paper += f.count;
      } else if (f.kind == "excluded") {
        row->excluded += f.count;
      }
    }
  }
  finish_rates(r.approval);
  for (auto& [division, row] : approvals) {
    row.division = division;
    finish_rates(row);
    r.approval_by_division.push_back(row);
  }
  if (options.failures_limit > 0) {
    auto failures = store.kpi_failures(r.from, r.to, options.failures_limit);
    if (!failures) return failures.status();
    std::map<std::string, std::string> division_of;
    for (const Operation& op : *ops) division_of[op.id] = op.division;
    for (const RunRecord& run : *failures) {
      KpiFailureRow f;
      f.run_id = run.id;
      f.started = format_local_time(run.started_at, options.utc_offset_minutes);
      if (run.ended_at) f.ended = format_local_time(*run.ended_at, options.utc_offset_minutes);
      f.workflow_id = run.workflow_id;
      f.workflow_name = run.workflow_name;
      if (run.operation) {
        f.operation = *run.operation;
        auto it = division_of.find(*run.operation);
        if (it != division_of.end()) f.division = it->second;
      }
      f.status = run_status_name(run.status);
      f.items = run.items;
      f.error = run.error;
      r.failures.push_back(std::move(f));
    }
  }
  finish_rates(r.receipt);
  for (auto& [division, row] : receipts) {
    row.division = division;
    finish_rates(row);
    r.receipt_by_division.push_back(row);
  }
  return r;
}

}  // namespace jimu

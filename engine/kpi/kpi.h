// The RPA KPI of a fiscal year, computed from the store (DESIGN.md section 2).
//
// The unit is the operation (業務), not the run: an operation counts in fiscal year FY when it is
// registered with a selected kind and either had at least one succeeded, non-dry run started in FY
// (April 1 to March 31, local time), or is registered as manual (done by another tool) and was
// active in FY (went live on or before March 31 and was not retired before April 1). Failed,
// interrupted and dry runs never count an operation. Items and hours saved come from succeeded
// runs: hours = items x the operation's manual minutes per item / 60.
// The same store gives the same report: nothing here reads the clock.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/core/status.h"
#include "engine/store/store.h"

namespace jimu {

struct KpiTarget {
  std::optional<double> baseline;
  std::optional<double> target;
};

struct KpiOptions {
  // Which kinds count as operations (the plans differ: RPA only, or RPA + AI + other ICT).
  std::set<OperationKind> kinds = {OperationKind::kRpa, OperationKind::kAi, OperationKind::kOtherIct};
  // Baselines and targets by metric: "operations", "runs", "items", "hours_saved",
  // "approval_rate", "receipt_rate" (rates in percent).
  std::map<std::string, KpiTarget> targets;
  // How many of the year's failed and interrupted runs to list in KpiReport::failures, newest
  // first (default 0: none; the report formats ask for them, a dashboard need not).
  int failures_limit = 0;
  // The offset of local time, for the failures' start and end times (default Japan, UTC+9).
  int utc_offset_minutes = 540;
};

struct KpiOperationRow {
  std::string id, name, division;
  OperationKind kind = OperationKind::kRpa;
  bool manual = false;
  bool counted = false;
  int64_t runs = 0, succeeded = 0, failed = 0, interrupted = 0;
  int64_t items = 0;
  double hours_saved = 0;
  std::string first_month;  // the month it first counted in this year ("" if it did not)
};

struct KpiDivisionRow {
  std::string division;
  int64_t operations = 0, runs = 0, items = 0;
  double hours_saved = 0;
};

struct KpiMonthRow {
  std::string month;  // "2026-04"
  int64_t runs = 0, succeeded = 0, failed = 0, items = 0;
  int64_t operations_cumulative = 0;
};

// Documents decided in the year (電子決裁率): jimu's own decided routes are electronic; recorded
// decisions from the export are electronic, paper or excluded (unsuited, with a reason).
// electronic_rate = electronic / (decided - excluded), in percent; none when that is 0.
struct KpiApprovalRow {
  std::string division;  // "" for the whole year
  int64_t decided = 0, electronic = 0, paper = 0, excluded = 0;
  int64_t routed = 0;  // of electronic: decided on jimu's own routes
  std::optional<double> electronic_rate;
};

// Received documents (収受): paperless_rate = electronic / received, in percent; none when 0.
struct KpiReceiptRow {
  std::string division;
  int64_t received = 0, electronic = 0;
  std::optional<double> paperless_rate;
};

// A failed or interrupted run of the year (the report's failures sheet).
struct KpiFailureRow {
  int64_t run_id = 0;
  std::string started, ended;  // local "2026-11-23 20:15:03"; ended "" when never recorded
  std::string workflow_id, workflow_name;
  std::string operation, division;  // "" without an operation; division from the registry
  std::string status;               // "failed" | "interrupted"
  int64_t items = 0;
  std::string error;
};

struct KpiReport {
  int fiscal_year = 0;
  std::string label;  // "令和8年度"
  std::string from, to;
  int64_t operations_counted = 0;
  std::map<OperationKind, int64_t> by_kind;
  std::vector<KpiOperationRow> operations;  // every registered operation of a selected kind
  int64_t runs_total = 0, runs_succeeded = 0, runs_failed = 0, runs_interrupted = 0,
          runs_running = 0;
  int64_t runs_without_operation = 0;
  int64_t items = 0;
  double hours_saved = 0;
  std::vector<KpiDivisionRow> by_division;
  std::vector<KpiMonthRow> by_month;  // April .. March
  KpiApprovalRow approval;
  std::vector<KpiApprovalRow> approval_by_division;
  KpiReceiptRow receipt;
  std::vector<KpiReceiptRow> receipt_by_division;
  std::map<std::string, KpiTarget> targets;
  // Newest first, at most KpiOptions::failures_limit of the runs_failed + runs_interrupted.
  std::vector<KpiFailureRow> failures;
};

Result<KpiReport> compute_kpi(Store& store, int fiscal_year, const KpiOptions& options);

std::string kpi_to_json(const KpiReport& report);
std::string kpi_to_text(const KpiReport& report);
std::string kpi_to_csv(const KpiReport& report);  // UTF-8 with BOM, CRLF: opens in Excel

}  // namespace jimu

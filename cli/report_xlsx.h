// The KPI report as an Excel workbook in Japanese (jimu report kpi --format xlsx): a summary sheet
// with the figures beside their baselines and targets and three charts, and one sheet per table
// (operations, divisions, months, failures).
//
// It lives in cli/ because it joins two layers that must not link each other: the KPI (engine) and
// the xlsx connector's writer core. The workbook is reproducible: its document properties,
// creation time included, come from the fiscal year and never from the clock, so the same report
// gives the same bytes. Written atomically (the writer renames into place on success).
// Thread-safe (no shared state).
#pragma once

#include <string>

#include "engine/core/status.h"
#include "engine/kpi/kpi.h"

namespace jimu::cli {

// Writes the workbook to path; display names it in messages. io when it cannot be written.
Status write_kpi_xlsx(const KpiReport& report, const std::string& path, const std::string& display);

}  // namespace jimu::cli

// Excel serial dates both ways, in both of Excel's date systems.
//
// The 1900 system (the default): serial 1 is 1900-01-01. Excel counts a 1900-02-29 that never
// existed (serial 60, kept for compatibility with Lotus 1-2-3), so from serial 61 (1900-03-01) on,
// serial n is 1899-12-30 + n days. Serial 60 and serial 0 ("1900-01-00") are no dates and are
// refused. The 1904 system (old Mac workbooks): serial 0 is 1904-01-01. The fraction of a serial
// is the time of day, rounded to the nearest second. Both systems end at 9999-12-31.
//
// Pure functions; thread-safe.
#pragma once

#include "engine/calendar/civil_date.h"
#include "engine/core/status.h"

namespace jimu {

enum class ExcelDateSystem { k1900, k1904 };

struct ExcelDateTime {
  CivilDate date;
  int seconds = 0;  // of the day, 0..86399
};

// Fails (invalid) for NaN, infinities, serials before the system's first day, 0 and 60 in the
// 1900 system, and serials past 9999-12-31: "Excel serial 60 is 1900-02-29, a day that never
// existed (Excel counts it for compatibility with Lotus 1-2-3)".
Result<ExcelDateTime> from_excel_serial(double serial,
                                        ExcelDateSystem system = ExcelDateSystem::k1900);

// seconds_of_day (0..86399) becomes the fraction. Fails (invalid) for a date before the system's
// first day (1900-01-01 or 1904-01-01) or seconds out of range.
Result<double> to_excel_serial(const CivilDate& date, int seconds_of_day = 0,
                               ExcelDateSystem system = ExcelDateSystem::k1900);

}  // namespace jimu

// Excel's date numbers: which number formats mark a cell as a date, and serial numbers to and from
// calendar dates in both date systems (1900, with Lotus's fictitious 1900-02-29, and 1904).
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace jimu::xlsx {

struct ExcelDateTime {
  int year = 1900;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  bool has_time() const { return hour != 0 || minute != 0 || second != 0; }
};

// True when a cell formatted with this number format shows a calendar date (with or without a
// time). Built-in ids 14-17, 22 and the Japanese built-ins 27-31, 36, 50-58 are dates. Time-only
// and duration formats (18-21, 32-35, 45-47, "h:mm", "[h]:mm:ss") are not: their values are
// fractions of a day, not days. A custom code is a date when, outside quoted text, escapes and
// [brackets], it has a year, day or era token (y, d, g, e) or a month 'm' with no hour or second.
bool is_date_format(int num_fmt_id, std::string_view custom_code);

// The calendar date and time of a serial number, to the nearest second; nullopt for serials that
// name no day (negative, Excel's 1900-02-29 = serial 60, or past 9999-12-31).
std::optional<ExcelDateTime> from_serial(double serial, bool date1904);

// The serial number of a date and time (the inverse of from_serial).
double to_serial(const ExcelDateTime& dt, bool date1904);

}  // namespace jimu::xlsx

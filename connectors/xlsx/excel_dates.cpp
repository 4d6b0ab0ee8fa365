#include "connectors/xlsx/excel_dates.h"

#include <cmath>

#include "engine/calendar/civil_date.h"

namespace jimu::xlsx {
namespace {

// Days from 1970-01-01 to each system's day 0.
const int64_t k1899_12_30 = CivilDate{1899, 12, 30}.days_since_epoch();
const int64_t k1899_12_31 = CivilDate{1899, 12, 31}.days_since_epoch();
const int64_t k1904_01_01 = CivilDate{1904, 1, 1}.days_since_epoch();

}  // namespace

bool is_date_format(int id, std::string_view code) {
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
      (id >= 50 && id <= 58)) {
    return true;
  }
  if (id < 164 || code.empty()) return false;  // other built-ins: numbers, text, times
  bool month = false, time = false;
  // Only the first section (positive numbers) decides.
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if ((c == 'G' || c == 'g') && code.substr(i, 7).size() == 7 &&
        (code.substr(i, 7) == "General" || code.substr(i, 7) == "general")) {
      i += 6;
    } else if (c == '"') {
      size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (c == '[') {
      size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string_view inside = code.substr(i + 1, close - i - 1);
      // [h], [mm], [ss]: elapsed time (durations).
      if (!inside.empty() && (inside[0] == 'h' || inside[0] == 'H' || inside[0] == 's' ||
                              inside[0] == 'S' || inside[0] == 'm' || inside[0] == 'M')) {
        time = true;
      }
      i = close;
    } else if (c == ';') {
      break;
    } else if (c == 'y' || c == 'Y' || c == 'd' || c == 'D' || c == 'g' || c == 'e') {
      return true;
    } else if (c == 'm' || c == 'M') {
      month = true;
    } else if (c == 'h' || c == 'H' || c == 's' || c == 'S') {
      time = true;
    }
  }
  return month && !time;
}

std::optional<ExcelDateTime> from_serial(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial >= 2958466) return std::nullopt;
  // Round to the second first, so 0.99999999 of a day becomes the next midnight.
  const int64_t total_seconds = static_cast<int64_t>(std::llround(serial * 86400.0));
  int64_t days = total_seconds / 86400;
  int64_t secs = total_seconds % 86400;
  int64_t epoch_days;
  if (date1904) {
    epoch_days = k1904_01_01 + days;
  } else if (days == 60) {
    return std::nullopt;  // 1900-02-29 does not exist (Lotus 1-2-3's leap-year bug)
  } else {
    epoch_days = (days < 60 ? k1899_12_31 : k1899_12_30) + days;
  }
  CivilDate d = CivilDate::from_days(epoch_days);
  ExcelDateTime dt;
  dt.year = d.year;
  dt.month = d.month;
  dt.day = d.day;
  dt.hour = static_cast<int>(secs / 3600);
  dt.minute = static_cast<int>(secs / 60 % 60);
  dt.second = static_cast<int>(secs % 60);
  return dt;
}

double to_serial(const ExcelDateTime& dt, bool date1904) {
  const int64_t epoch_days = CivilDate{dt.year, dt.month, dt.day}.days_since_epoch();
  double days;
  if (date1904) {
    days = static_cast<double>(epoch_days - k1904_01_01);
  } else {
    days = static_cast<double>(epoch_days - k1899_12_30);
    if (days < 61) days -= 1;  // before the fictitious 1900-02-29
  }
  return days + (dt.hour * 3600 + dt.minute * 60 + dt.second) / 86400.0;
}

}  // namespace jimu::xlsx

#include "engine/calendar/excel_serial.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace jimu {
namespace {

const int64_t kDay1899_12_30 = CivilDate{1899, 12, 30}.days_since_epoch();
const int64_t kDay1899_12_31 = CivilDate{1899, 12, 31}.days_since_epoch();
const int64_t kDay1904_01_01 = CivilDate{1904, 1, 1}.days_since_epoch();
const int64_t kDay9999_12_31 = CivilDate{9999, 12, 31}.days_since_epoch();

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

Result<ExcelDateTime> from_excel_serial(double serial, ExcelDateSystem system) {
  const std::string subject = "Excel serial " + number_text(serial);
  if (!std::isfinite(serial)) return Status::invalid(subject + " is not a date");
  const bool is1900 = system == ExcelDateSystem::k1900;
  const double first = is1900 ? 1 : 0;
  if (serial < first) {
    if (is1900 && serial >= 0) {
      return Status::invalid(subject + " is day 0 of January 1900, which is no date");
    }
    return Status::invalid(subject + " is before " + (is1900 ? "1900-01-01" : "1904-01-01") +
                           ", the first day of Excel's " + (is1900 ? "1900" : "1904") +
                           " date system");
  }
  double whole = std::floor(serial);
  int64_t seconds = std::llround((serial - whole) * 86400.0);
  int64_t day_number = static_cast<int64_t>(whole);
  if (seconds >= 86400) {  // 0.9999999 rounds up to the next midnight
    seconds -= 86400;
    ++day_number;
  }
  if (is1900 && day_number == 60) {
    return Status::invalid(subject +
                           " is 1900-02-29, a day that never existed (Excel counts it for "
                           "compatibility with Lotus 1-2-3)");
  }
  int64_t days;
  if (is1900) {
    days = day_number < 60 ? kDay1899_12_31 + day_number : kDay1899_12_30 + day_number;
  } else {
    days = kDay1904_01_01 + day_number;
  }
  if (days > kDay9999_12_31) {
    return Status::invalid(subject + " is after 9999-12-31, the last day Excel knows");
  }
  return ExcelDateTime{CivilDate::from_days(days), static_cast<int>(seconds)};
}

Result<double> to_excel_serial(const CivilDate& date, int seconds_of_day, ExcelDateSystem system) {
  if (seconds_of_day < 0 || seconds_of_day >= 86400) {
    return Status::invalid("time of day " + std::to_string(seconds_of_day) +
                           " s is not within a day (0 to 86399 s)");
  }
  const int64_t days = date.days_since_epoch();
  double serial;
  if (system == ExcelDateSystem::k1900) {
    if (date < CivilDate{1900, 1, 1}) {
      return Status::invalid(date.iso() +
                             " is before 1900-01-01, the first day of Excel's 1900 date system");
    }
    serial = static_cast<double>(date < CivilDate{1900, 3, 1} ? days - kDay1899_12_31
                                                               : days - kDay1899_12_30);
  } else {
    if (date < CivilDate{1904, 1, 1}) {
      return Status::invalid(date.iso() +
                             " is before 1904-01-01, the first day of Excel's 1904 date system");
    }
    serial = static_cast<double>(days - kDay1904_01_01);
  }
  return serial + seconds_of_day / 86400.0;
}

}  // namespace jimu

#include "engine/calendar/excel_serial.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

namespace jimu {
namespace {

CivilDate d(int y, int m, int day) { return CivilDate{y, m, day}; }

CivilDate date_of(double serial, ExcelDateSystem s = ExcelDateSystem::k1900) {
  auto r = from_excel_serial(serial, s);
  INFO(serial << ": " << r.status().message());
  REQUIRE(r.is_ok());
  return r->date;
}

double serial_of(const CivilDate& x, int seconds = 0, ExcelDateSystem s = ExcelDateSystem::k1900) {
  auto r = to_excel_serial(x, seconds, s);
  INFO(x.iso() << ": " << r.status().message());
  REQUIRE(r.is_ok());
  return *r;
}

TEST_CASE("excel: the 1900 system around Excel's fictitious 1900-02-29", "[excel]") {
  CHECK(date_of(1) == d(1900, 1, 1));
  CHECK(date_of(59) == d(1900, 2, 28));
  CHECK(date_of(61) == d(1900, 3, 1));
  CHECK(date_of(45383) == d(2024, 4, 1));
  CHECK(date_of(46113) == d(2026, 4, 1));
  CHECK(date_of(2958465) == d(9999, 12, 31));
  CHECK(serial_of(d(1900, 1, 1)) == 1);
  CHECK(serial_of(d(1900, 2, 28)) == 59);
  CHECK(serial_of(d(1900, 3, 1)) == 61);
  CHECK(serial_of(d(2026, 4, 1)) == 46113);
  auto sixty = from_excel_serial(60);
  REQUIRE_FALSE(sixty.is_ok());
  CHECK(sixty.status().code() == Code::kInvalid);
  CHECK(sixty.status().message() ==
        "Excel serial 60 is 1900-02-29, a day that never existed (Excel counts it for "
        "compatibility with Lotus 1-2-3)");
  CHECK(from_excel_serial(60.5).status().message().rfind("Excel serial 60.5 is 1900-02-29", 0) ==
        0);
  CHECK(from_excel_serial(0).status().message() ==
        "Excel serial 0 is day 0 of January 1900, which is no date");
  CHECK(from_excel_serial(-1).status().message() ==
        "Excel serial -1 is before 1900-01-01, the first day of Excel's 1900 date system");
  CHECK(from_excel_serial(2958466).status().message() ==
        "Excel serial 2958466 is after 9999-12-31, the last day Excel knows");
  CHECK(from_excel_serial(std::nan("")).status().message() == "Excel serial nan is not a date");
  CHECK(from_excel_serial(std::numeric_limits<double>::infinity()).status().message() ==
        "Excel serial inf is not a date");
  CHECK(to_excel_serial(d(1899, 12, 31)).status().message() ==
        "1899-12-31 is before 1900-01-01, the first day of Excel's 1900 date system");
}

TEST_CASE("excel: the 1904 system starts at 0 on 1904-01-01", "[excel]") {
  const auto k1904 = ExcelDateSystem::k1904;
  CHECK(date_of(0, k1904) == d(1904, 1, 1));
  CHECK(date_of(1, k1904) == d(1904, 1, 2));
  CHECK(date_of(60, k1904) == d(1904, 3, 1));  // 1904 was a leap year: no gap here
  CHECK(date_of(44651, k1904) == d(2026, 4, 1));
  CHECK(serial_of(d(1904, 1, 1), 0, k1904) == 0);
  CHECK(serial_of(d(2026, 4, 1), 0, k1904) == 44651);
  // The two systems differ by 1462 days for every date after 1904.
  for (CivilDate x = d(1904, 1, 1); x.year < 2100; x = x.plus_days(97)) {
    CHECK(serial_of(x) - serial_of(x, 0, k1904) == 1462);
  }
  CHECK(from_excel_serial(-1, k1904).status().message() ==
        "Excel serial -1 is before 1904-01-01, the first day of Excel's 1904 date system");
  CHECK(to_excel_serial(d(1903, 12, 31), 0, k1904).status().message() ==
        "1903-12-31 is before 1904-01-01, the first day of Excel's 1904 date system");
}

TEST_CASE("excel: the fraction of a serial is the time of day", "[excel]") {
  auto noon = from_excel_serial(46113.5);
  REQUIRE(noon.is_ok());
  CHECK(noon->date == d(2026, 4, 1));
  CHECK(noon->seconds == 12 * 3600);
  auto t = from_excel_serial(46113 + (9 * 3600 + 30 * 60 + 15) / 86400.0);
  CHECK(t->seconds == 9 * 3600 + 30 * 60 + 15);
  // A hair before midnight rounds to the next day's midnight, not to second 86400.
  auto late = from_excel_serial(46113.9999999);
  CHECK(late->date == d(2026, 4, 2));
  CHECK(late->seconds == 0);
  CHECK(serial_of(d(2026, 4, 1), 18 * 3600) == 46113.75);
  CHECK(to_excel_serial(d(2026, 4, 1), 86400).status().message() ==
        "time of day 86400 s is not within a day (0 to 86399 s)");
  // Serials before 60 keep their fraction too.
  auto early = from_excel_serial(59.25);
  CHECK(early->date == d(1900, 2, 28));
  CHECK(early->seconds == 6 * 3600);
}

TEST_CASE("excel: every day from 1900-03-01 to 2100 round-trips", "[excel]") {
  for (CivilDate x = d(1900, 1, 1); x.year <= 2100; x = x.plus_days(1)) {
    double s = serial_of(x);
    REQUIRE(date_of(s) == x);
  }
}

}  // namespace
}  // namespace jimu

#include "connectors/xlsx/excel_dates.h"

#include <catch2/catch.hpp>

namespace jimu::xlsx {
namespace {

TEST_CASE("excel dates: built-in formats 14-17, 22 and the Japanese ones are dates", "[xlsx]") {
  for (int id : {14, 15, 16, 17, 22, 27, 31, 36, 50, 57, 58}) CHECK(is_date_format(id, ""));
  for (int id : {0, 1, 2, 9, 10, 18, 19, 20, 21, 32, 35, 45, 46, 47, 49}) {
    CHECK_FALSE(is_date_format(id, ""));
  }
}

TEST_CASE("excel dates: custom codes are dates by their tokens, times and durations are not",
          "[xlsx]") {
  CHECK(is_date_format(164, "yyyy\"年\"m\"月\"d\"日\""));
  CHECK(is_date_format(164, "yyyy/mm/dd hh:mm"));
  CHECK(is_date_format(164, "[$-ja-JP]ggge\"年\"m\"月\"d\"日\""));
  CHECK(is_date_format(164, "mmm"));
  CHECK(is_date_format(164, "[Red]m/d"));
  CHECK_FALSE(is_date_format(164, "h:mm"));
  CHECK_FALSE(is_date_format(164, "[h]:mm:ss"));
  CHECK_FALSE(is_date_format(164, "mm:ss"));
  CHECK_FALSE(is_date_format(164, "#,##0\"円\""));
  CHECK_FALSE(is_date_format(164, "0.00\"days\""));  // quoted text does not count
  CHECK_FALSE(is_date_format(164, "General"));
  CHECK_FALSE(is_date_format(164, "0.0%;[Red]-0.0%"));
}

TEST_CASE("excel dates: serials map to dates in both systems, around 1900-02-29", "[xlsx]") {
  auto d = [](double s, bool mac) { return from_serial(s, mac); };
  CHECK(d(1, false)->day == 1);
  CHECK((d(59, false)->month == 2 && d(59, false)->day == 28));
  CHECK_FALSE(d(60, false));  // Excel's fictitious 1900-02-29
  CHECK((d(61, false)->month == 3 && d(61, false)->day == 1));
  auto r = d(43586, false);  // 2019-05-01, the first day of 令和
  CHECK((r->year == 2019 && r->month == 5 && r->day == 1));
  auto m = d(0, true);
  CHECK((m->year == 1904 && m->month == 1 && m->day == 1));
  auto t = d(46113.75, false);
  CHECK((t->day == 1 && t->hour == 18 && t->minute == 0));
  auto round_up = d(46113.999999999, false);  // within half a second of midnight
  CHECK((round_up->day == 2 && !round_up->has_time()));
  CHECK_FALSE(d(-1, false));
  for (double s : {1.0, 59.0, 61.0, 46113.0, 2958465.0}) {
    CHECK(to_serial(*d(s, false), false) == s);
    CHECK(to_serial(*d(s, true), true) == s);
  }
}

}  // namespace
}  // namespace jimu::xlsx

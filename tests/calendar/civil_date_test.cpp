#include <catch2/catch.hpp>

#include "engine/calendar/civil_date.h"
#include "engine/calendar/local_time.h"

using jimu::CivilDate;

TEST_CASE("civil date: days since the epoch round-trip over two centuries", "[calendar]") {
  for (int64_t d = -25000; d < 50000; d += 7) {
    CHECK(CivilDate::from_days(d).days_since_epoch() == d);
  }
  CHECK(CivilDate{1970, 1, 1}.days_since_epoch() == 0);
  CHECK(CivilDate{2000, 3, 1}.days_since_epoch() == 11017);
  CHECK(CivilDate{2026, 11, 23}.weekday() == 1);  // a Monday
  CHECK(CivilDate{1970, 1, 1}.weekday() == 4);    // a Thursday
}

TEST_CASE("civil date: ISO parsing rejects impossible dates", "[calendar]") {
  CHECK(CivilDate::parse_iso("2024-02-29").has_value());
  CHECK_FALSE(CivilDate::parse_iso("2026-02-29").has_value());
  CHECK_FALSE(CivilDate::parse_iso("2026-13-01").has_value());
  CHECK_FALSE(CivilDate::parse_iso("2026-4-1").has_value());
  CHECK_FALSE(CivilDate::parse_iso("2026-04-31").has_value());
}

TEST_CASE("fiscal year: March 31 closes the year and April 1 opens the next", "[calendar]") {
  CHECK(jimu::fiscal_year_of({2027, 3, 31}) == 2026);
  CHECK(jimu::fiscal_year_of({2027, 4, 1}) == 2027);
  CHECK(jimu::fiscal_year_of({2026, 4, 1}) == 2026);
  CHECK(jimu::fiscal_year_of({2026, 1, 15}) == 2025);
  CHECK(jimu::fiscal_year_start(2026).iso() == "2026-04-01");
  CHECK(jimu::fiscal_year_end(2026).iso() == "2027-03-31");
}

TEST_CASE("fiscal year: local days are Japanese days (UTC+9)", "[calendar]") {
  // 2027-03-31T15:00:00Z is 2027-04-01 00:00 in Tokyo: the new fiscal year.
  const int64_t ms = 1806505200000;
  CHECK(CivilDate::from_epoch_ms(ms).iso() == "2027-04-01");
  CHECK(CivilDate::from_epoch_ms(ms - 1).iso() == "2027-03-31");
  CHECK(jimu::format_local_time_iso(ms) == "2027-04-01T00:00:00+09:00");
}

TEST_CASE("fiscal year labels: the era in force for most of the year names it", "[calendar]") {
  CHECK(jimu::fiscal_year_wareki_label(2026) == "令和8年度");
  CHECK(jimu::fiscal_year_wareki_label(2019) == "令和元年度");   // era changed 2019-05-01
  CHECK(jimu::fiscal_year_wareki_label(2018) == "平成30年度");
  CHECK(jimu::fiscal_year_wareki_label(1989) == "平成元年度");
  CHECK(jimu::fiscal_year_wareki_label(1988) == "昭和63年度");   // era changed 1989-01-08
  CHECK(jimu::fiscal_year_wareki_label(2020) == "令和2年度");
}

TEST_CASE("eras: each era begins on its first day", "[calendar]") {
  CHECK(std::string(jimu::era_of({2019, 4, 30})->name) == "平成");
  CHECK(std::string(jimu::era_of({2019, 5, 1})->name) == "令和");
  CHECK(std::string(jimu::era_of({1989, 1, 7})->name) == "昭和");
  CHECK(std::string(jimu::era_of({1989, 1, 8})->name) == "平成");
  CHECK(jimu::era_of({1868, 1, 24}) == nullptr);
}

#include "engine/calendar/wareki.h"

#include <catch2/catch.hpp>

#include <string>

namespace jimu {
namespace {

CivilDate d(int y, int m, int day) { return CivilDate{y, m, day}; }

CivilDate parsed(const std::string& text) {
  auto r = parse_date(text);
  INFO(text << ": " << r.status().message());
  REQUIRE(r.is_ok());
  return *r;
}

std::string parse_error(const std::string& text) {
  auto r = parse_date(text);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kParse);
  return r.status().message();
}

std::string formatted(const CivilDate& date, const std::string& format) {
  auto r = format_date(date, format);
  INFO(format << ": " << r.status().message());
  REQUIRE(r.is_ok());
  return *r;
}

TEST_CASE("wareki: the forms clerks write parse to the same day", "[wareki]") {
  for (const char* text :
       {"令和5年4月1日", "令和5年4月1", "R5.4.1", "R05/04/01", "r5.4.1", "R5-4-1", "令和5.4.1",
        "令和５年４月１日", "Ｒ５．４．１", "ｒ０５／０４／０１", " 令和 5 年 4 月 1 日 ",
        "令和\u30005年4月1日", "\u32FF5年4月1日", "2023-04-01", "2023/4/1", "2023.4.1",
        "2023年4月1日", "２０２３年４月１日", "20230401"}) {
    CHECK(parsed(text) == d(2023, 4, 1));
  }
}

TEST_CASE("wareki: 元年 and the first and last days of each era", "[wareki]") {
  CHECK(parsed("令和元年5月1日") == d(2019, 5, 1));
  CHECK(parsed("R1.5.1") == d(2019, 5, 1));
  CHECK(parsed("平成31年4月30日") == d(2019, 4, 30));
  CHECK(parsed("H31.4.30") == d(2019, 4, 30));
  CHECK(parsed("平成元年1月8日") == d(1989, 1, 8));
  CHECK(parsed("S64.1.7") == d(1989, 1, 7));
  CHECK(parsed("昭和元年12月25日") == d(1926, 12, 25));
  CHECK(parsed("大正15年12月24日") == d(1926, 12, 24));
  CHECK(parsed("大正元年7月30日") == d(1912, 7, 30));
  CHECK(parsed("明治45年7月29日") == d(1912, 7, 29));
  CHECK(parsed("明治6年1月1日") == d(1873, 1, 1));
  CHECK(parsed("H28.3.31") == d(2016, 3, 31));
  CHECK(parsed("\u337B28.3.31") == d(2016, 3, 31));  // ㍻
  CHECK(parsed("令和5年2月28日") == d(2023, 2, 28));
  CHECK(parsed("令和6年2月29日") == d(2024, 2, 29));
}

TEST_CASE("wareki: impossible dates are errors naming the input and the reason", "[wareki]") {
  CHECK(parse_error("令和元年4月1日") == "'令和元年4月1日': 令和 began on 2019-05-01");
  CHECK(parse_error("R1.4.30") == "'R1.4.30': 令和 began on 2019-05-01");
  CHECK(parse_error("平成32年1月1日") ==
        "'平成32年1月1日': 平成 ended on 2019-04-30 (平成31年4月30日)");
  CHECK(parse_error("平成31年5月1日") ==
        "'平成31年5月1日': 平成 ended on 2019-04-30 (平成31年4月30日)");
  CHECK(parse_error("昭和64年1月8日") ==
        "'昭和64年1月8日': 昭和 ended on 1989-01-07 (昭和64年1月7日)");
  CHECK(parse_error("平成元年1月7日") == "'平成元年1月7日': 平成 began on 1989-01-08");
  CHECK(parse_error("大正15年12月25日") ==
        "'大正15年12月25日': 大正 ended on 1926-12-24 (大正15年12月24日)");
  CHECK(parse_error("令和5年2月29日") == "'令和5年2月29日': 2023-02 has no day 29 (it has 28 days)");
  CHECK(parse_error("令和0年") == "'令和0年': there is no year 0 of an era (the first year is 元年)");
  CHECK(parse_error("R0.4.1") == "'R0.4.1': there is no year 0 of an era (the first year is 元年)");
  CHECK(parse_error("令和5年13月1日") == "'令和5年13月1日': month 13 is not 1 to 12");
  CHECK(parse_error("2026-02-30") == "'2026-02-30': 2026-02 has no day 30 (it has 28 days)");
  CHECK(parse_error("2026-04-00") == "'2026-04-00': 2026-04 has no day 0 (it has 30 days)");
  CHECK(parse_error("2026-00-10") == "'2026-00-10': month 0 is not 1 to 12");
  CHECK(parse_error("明治5年12月2日") ==
        "'明治5年12月2日': dates before 明治6年 (1873-01-01) are in the lunisolar calendar, which "
        "jimu does not convert");
  CHECK(parse_error("X5.4.1") == "'X5.4.1': unknown era 'X' (expected M, T, S, H or R)");
}

TEST_CASE("wareki: text that is no date says what was expected", "[wareki]") {
  const std::string expected =
      "not a date (expected a form like 2026-04-01, 2026年4月1日, 令和8年4月1日 or R8.4.1)";
  for (const char* text : {"", "abc", "2026", "26/4/1", "2026-04/01", "2026-04-01x", "令和",
                           "令和5年", "令和5年4月", "R5.4", "R5.4/1", "2026年4月1日日", "髙橋"}) {
    INFO(text);
    CHECK(parse_error(text) == "'" + std::string(text) + "': " + expected);
  }
}

TEST_CASE("wareki: fiscal-year labels", "[wareki]") {
  CHECK(*parse_fiscal_year("H28年度") == 2016);
  CHECK(*parse_fiscal_year("令和8年度") == 2026);
  CHECK(*parse_fiscal_year("R8年度") == 2026);
  CHECK(*parse_fiscal_year("Ｒ８年度") == 2026);
  CHECK(*parse_fiscal_year("令和元年度") == 2019);
  CHECK(*parse_fiscal_year("平成31年度") == 2019);  // the FY2019 budget bore this name
  CHECK(*parse_fiscal_year("平成元年度") == 1989);
  CHECK(*parse_fiscal_year("昭和63年度") == 1988);
  CHECK(*parse_fiscal_year("2026年度") == 2026);
  auto bad = [](const char* text) {
    auto r = parse_fiscal_year(text);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == Code::kParse);
    return r.status().message();
  };
  CHECK(bad("平成32年度") == "'平成32年度': 平成 ended on 2019-04-30, before 2020年度 began");
  CHECK(bad("昭和64年度") == "'昭和64年度': 昭和 ended on 1989-01-07, before 1989年度 began");
  CHECK(bad("令和0年度") == "'令和0年度': there is no year 0 of an era (the first year is 元年)");
  CHECK(bad("令和8年") ==
        "'令和8年': not a fiscal year (expected a form like 令和8年度, R8年度, H28年度 or 2026年度)");
  CHECK(bad("Q8年度") == "'Q8年度': unknown era 'Q' (expected M, T, S, H or R)");
}

TEST_CASE("wareki: named formats", "[wareki]") {
  CHECK(formatted(d(2026, 4, 1), "wareki") == "令和8年4月1日");
  CHECK(formatted(d(2019, 5, 1), "wareki") == "令和元年5月1日");
  CHECK(formatted(d(2019, 4, 30), "wareki") == "平成31年4月30日");
  CHECK(formatted(d(1989, 1, 7), "wareki") == "昭和64年1月7日");
  CHECK(formatted(d(1989, 1, 8), "wareki") == "平成元年1月8日");
  CHECK(formatted(d(2026, 4, 1), "wareki_short") == "R8.4.1");
  CHECK(formatted(d(2019, 5, 1), "wareki_short") == "R1.5.1");
  CHECK(formatted(d(2026, 4, 1), "iso") == "2026-04-01");
}

TEST_CASE("wareki: patterns", "[wareki]") {
  CivilDate x = d(2026, 4, 1);  // a Wednesday
  CHECK(formatted(x, "%Y/%m/%d") == "2026/04/01");
  CHECK(formatted(x, "%Y年%n月%j日(%a)") == "2026年4月1日(水)");
  CHECK(formatted(x, "%g%f/%m/%d") == "R08/04/01");
  CHECK(formatted(x, "%G%E年度 %A") == "令和8年度 水曜日");
  CHECK(formatted(x, "%y%m%d 100%%") == "260401 100%");
  CHECK(formatted(d(2019, 5, 1), "%G%E年 (%e)") == "令和元年 (1)");
  auto r = format_date(x, "%Y-%q");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalid);
  CHECK(r.status().message() == "'%Y-%q': unknown directive %q in date format");
  CHECK(format_date(x, "%Y%").status().message() == "'%Y%': the date format ends in a lone %");
  CHECK(format_date(x, "yyyy/mm/dd").status().message() ==
        "'yyyy/mm/dd': unknown date format (use iso, wareki, wareki_short or a pattern with % "
        "directives such as %Y/%m/%d)");
  auto old = format_date(d(1872, 12, 31), "wareki");
  REQUIRE_FALSE(old.is_ok());
  CHECK(old.status().message() ==
        "1872-12-31: wareki dates before 明治6年 (1873-01-01) are in the lunisolar calendar, "
        "which jimu does not convert");
  CHECK(formatted(d(1872, 12, 31), "%Y-%m-%d") == "1872-12-31");
}

TEST_CASE("wareki: every day around each era change round-trips through both forms",
          "[wareki]") {
  for (CivilDate change : {d(1912, 7, 30), d(1926, 12, 25), d(1989, 1, 8), d(2019, 5, 1)}) {
    for (int offset = -400; offset <= 400; ++offset) {
      CivilDate x = change.plus_days(offset);
      INFO(x.iso());
      std::string long_form = formatted(x, "wareki");
      std::string short_form = formatted(x, "wareki_short");
      CHECK(parsed(long_form) == x);
      CHECK(parsed(short_form) == x);
      CHECK(era_of(x) == (offset < 0 ? era_of(change.plus_days(-1)) : era_of(change)));
    }
  }
  // And every first of the month from 1873 to 2100.
  for (CivilDate x = d(1873, 1, 1); x.year <= 2100;
       x = x.month == 12 ? d(x.year + 1, 1, 1) : d(x.year, x.month + 1, 1)) {
    CHECK(parsed(formatted(x, "wareki")) == x);
  }
}

TEST_CASE("wareki: the era year of a date", "[wareki]") {
  auto w = wareki_year_of(d(2026, 4, 1));
  REQUIRE(w.is_ok());
  CHECK(std::string(w->era->name) == "令和");
  CHECK(w->year == 8);
  CHECK(wareki_year_of(d(1873, 1, 1))->year == 6);
  CHECK(wareki_year_of(d(1872, 12, 31)).status().code() == Code::kInvalid);
}

}  // namespace
}  // namespace jimu

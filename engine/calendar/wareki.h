// Dates as Japanese offices write them: parsing 和暦 (令和/平成/昭和/大正/明治, 元年, "R5.4.1") and
// ISO forms into CivilDate, parsing fiscal-year labels ("令和8年度", "H28年度"), and formatting dates
// with named formats or patterns.
//
// Impossible dates are errors, never guesses: a date before its era began (令和元年4月1日), after it
// ended (平成31年5月1日, 平成32年), a day the month lacks (令和5年2月29日), era year 0. Wareki dates
// before 明治6年 (1873-01-01), when Japan adopted the Gregorian calendar, were lunisolar dates and
// are refused rather than converted wrongly. Every error message quotes the input and says what is
// wrong: "'令和元年4月1日': 令和 began on 2019-05-01" (code parse).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/calendar/civil_date.h"
#include "engine/core/status.h"

namespace jimu {

// Accepts, after folding full-width digits, letters and punctuation to ASCII and dropping spaces
// (ASCII and U+3000):
//   ISO and kin:  2026-04-01, 2026/4/1, 2026.4.1, 2026年4月1日, 20260401
//   wareki:       令和5年4月1日, 令和元年5月1日, R5.4.1, R05/04/01, r5-4-1, ㋿5.4.1, 令和5.4.1
// Era letters: M 明治, T 大正, S 昭和, H 平成, R 令和 (either case). The final 日 may be left out.
// Fails with code parse.
Result<CivilDate> parse_date(std::string_view text);

// A fiscal-year label: "令和8年度", "R8年度", "H28年度", "令和元年度", "2026年度" -> 2026, 2016, ...
// An era's year is accepted if the era was in force on April 1 of that fiscal year or began within
// it, so 平成31年度 and 令和元年度 are both 2019, and 平成32年度 is an error. Fails with code parse.
Result<int> parse_fiscal_year(std::string_view text);

// The era and its year for a date: 2026-04-01 -> {令和, 8}. Fails (invalid) before 1873-01-01.
struct WarekiYear {
  const Era* era;
  int year;  // 1 = 元年
};
Result<WarekiYear> wareki_year_of(const CivilDate& date);

// Formats a date. format is a name or a pattern:
//   "iso"          2026-04-01
//   "wareki"       令和8年4月1日 (元年 for year 1)
//   "wareki_short" R8.4.1
//   a pattern of literal text and directives:
//     %Y 2026   %y 26   %m 04   %n 4 (month)   %d 01   %j 1 (day)
//     %G 令和 (era)   %g R (era letter)   %E 元 or 8 (era year, 元 for 1)   %e 8   %f 08
//     %a 水 (weekday)   %A 水曜日   %% a percent sign
// Fails (invalid) for an unknown directive ("'%q': unknown directive %q in date format"), for a
// format that is neither a name nor has any directive (so "yyyy/mm/dd" is not printed verbatim),
// and for an era directive on a date before 1873-01-01.
Result<std::string> format_date(const CivilDate& date, std::string_view format);

}  // namespace jimu

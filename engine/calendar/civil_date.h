// CivilDate: a day of the proleptic Gregorian calendar, with the arithmetic that jimu's dates,
// fiscal years (年度, April 1 to March 31) and Japanese eras (和暦) are built on.
//
// Days are counted from 1970-01-01 (day 0). Local dates come from UTC milliseconds with a fixed
// offset: Japan has had no daylight saving time since 1952, so Asia/Tokyo is always UTC+9.
// Value type; thread-safe.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace jimu {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  auto operator<=>(const CivilDate&) const = default;

  static bool is_valid(int year, int month, int day);
  // "2026-04-01"; nullopt for anything else, including impossible dates (2026-02-30).
  static std::optional<CivilDate> parse_iso(std::string_view text);
  static CivilDate from_days(int64_t days_since_epoch);
  // The local date of a UTC instant, offset by utc_offset_minutes (540 for Japan).
  static CivilDate from_epoch_ms(int64_t ms, int utc_offset_minutes = kJapanOffsetMinutes);

  int64_t days_since_epoch() const;
  int weekday() const;  // 0 = Sunday .. 6 = Saturday
  CivilDate plus_days(int64_t n) const { return from_days(days_since_epoch() + n); }
  std::string iso() const;  // "2026-04-01"

  static constexpr int kJapanOffsetMinutes = 9 * 60;
};

int days_in_month(int year, int month);

// 年度: the fiscal year a date belongs to (2027-03-31 -> 2026, 2027-04-01 -> 2027).
int fiscal_year_of(const CivilDate& date);
CivilDate fiscal_year_start(int fiscal_year);  // April 1
CivilDate fiscal_year_end(int fiscal_year);    // March 31 of the next year

// A Japanese era (元号) and the first day it was in force.
struct Era {
  const char* name;        // "令和"
  const char* letter;      // "R"
  CivilDate first_day;     // 2019-05-01
};

// The era in force on date, or nullptr before 明治 (1868-01-25).
const Era* era_of(const CivilDate& date);
// Every era, newest first (令和, 平成, 昭和, 大正, 明治).
std::span<const Era> japanese_eras();

// "令和8年度": the label of a fiscal year. A fiscal year in which the era changed takes the era in
// force for most of it (the era on October 1): 1988 -> 昭和63年度, 2019 -> 令和元年度, matching
// how the government labels those years.
std::string fiscal_year_wareki_label(int fiscal_year);

}  // namespace jimu

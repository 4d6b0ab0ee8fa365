// Japanese national holidays (国民の祝日, 振替休日, 国民の休日 and the one-off days), computed from
// the rules of the national-holiday law (祝日法) and its amendments, for the years 1970 to 2099.
//
// What is computed, by law and date in force:
// - fixed days and their changes: 成人の日 (Jan 15, 2nd Monday from 2000), 天皇誕生日 (Apr 29
//   until 1988, Dec 23 1989-2018, none in 2019, Feb 23 from 2020), Apr 29 (天皇誕生日, then
//   みどりの日 1989-2006, then 昭和の日), みどりの日 on May 4 from 2007, 海の日 (Jul 20 from 1996,
//   3rd Monday from 2003), 山の日 (Aug 11 from 2016), 敬老の日 (Sep 15, 3rd Monday from 2003),
//   体育の日 / スポーツの日 (Oct 10, 2nd Monday from 2000, renamed in 2020), and the unchanged
//   元日, 建国記念の日, 憲法記念日, こどもの日, 文化の日, 勤労感謝の日;
// - the equinox days: the published days for 1970-1979 and the standard approximation for
//   1980-2099 (it matches every day published so far; the government announces each year's days
//   in February of the year before, so far-future years are a forecast, as everywhere);
// - 振替休日 from 1973-04-12: a holiday on a Sunday makes the next day a holiday; from 2007 the
//   nearest following day that is not itself a national holiday;
// - 国民の休日 from 1985-12-27: a day between two national holidays (before 2007 not a Sunday nor
//   a substitute holiday);
// - the one-off days of 1989, 1990, 1993 and 2019, and the Olympic moves of 2020 and 2021.
//
// Pure functions of the year; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/calendar/civil_date.h"
#include "engine/core/status.h"

namespace jimu {

struct Holiday {
  CivilDate date;
  std::string name;  // "元日", "振替休日", "国民の休日", ...

  bool operator==(const Holiday&) const = default;
};

// The years for which holidays are computed.
inline constexpr int kFirstHolidayYear = 1970;
inline constexpr int kLastHolidayYear = 2099;

// Every holiday of year in date order. Fails (invalid) outside kFirstHolidayYear..kLastHolidayYear:
// "holidays are known for 1970 to 2099, not 1969".
Result<std::vector<Holiday>> jp_holidays(int year);

// The holiday's name on date, or nullopt when date is no holiday (or outside the known years).
std::optional<std::string> jp_holiday_name(const CivilDate& date);

// The equinox days (春分日, 秋分日) of year as day of month (March, September); 0 outside
// kFirstHolidayYear..kLastHolidayYear.
int vernal_equinox_day(int year);
int autumnal_equinox_day(int year);

}  // namespace jimu

#include "engine/calendar/jp_holidays.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace jimu {
namespace {

constexpr int kSunday = 0;
constexpr int kMonday = 1;

// The n-th Monday (n from 1) of year-month: the "Happy Monday" days.
CivilDate nth_monday(int year, int month, int n) {
  CivilDate first{year, month, 1};
  int offset = (kMonday - first.weekday() + 7) % 7;
  return CivilDate{year, month, 1 + offset + 7 * (n - 1)};
}

// Published 春分日/秋分日 for 1970-1979. The approximation formula for those years needs care with
// the rounding of negative numbers, so the days are written down as published instead.
constexpr int kVernal1970s[10] = {21, 21, 20, 21, 21, 21, 20, 21, 21, 21};
constexpr int kAutumnal1970s[10] = {23, 24, 23, 23, 23, 24, 23, 23, 23, 24};

// The national holidays proper (国民の祝日 and the days the special laws treat as such), before
// substitute holidays and citizens' holidays are derived from them.
std::map<CivilDate, std::string> national_days(int y) {
  std::map<CivilDate, std::string> h;
  auto add = [&](int m, int d, const char* name) { h[CivilDate{y, m, d}] = name; };
  auto add_date = [&](CivilDate date, const char* name) { h[date] = name; };

  add(1, 1, "元日");
  if (y < 2000) {
    add(1, 15, "成人の日");
  } else {
    add_date(nth_monday(y, 1, 2), "成人の日");
  }
  add(2, 11, "建国記念の日");  // from 1967
  if (y >= 2020) add(2, 23, "天皇誕生日");
  add(3, vernal_equinox_day(y), "春分の日");
  if (y <= 1988) {
    add(4, 29, "天皇誕生日");
  } else if (y <= 2006) {
    add(4, 29, "みどりの日");
  } else {
    add(4, 29, "昭和の日");
  }
  add(5, 3, "憲法記念日");
  if (y >= 2007) add(5, 4, "みどりの日");
  add(5, 5, "こどもの日");
  if (y == 2020) {
    add(7, 23, "海の日");
  } else if (y == 2021) {
    add(7, 22, "海の日");
  } else if (y >= 2003) {
    add_date(nth_monday(y, 7, 3), "海の日");
  } else if (y >= 1996) {
    add(7, 20, "海の日");
  }
  if (y == 2020) {
    add(8, 10, "山の日");
  } else if (y == 2021) {
    add(8, 8, "山の日");
  } else if (y >= 2016) {
    add(8, 11, "山の日");
  }
  if (y >= 2003) {
    add_date(nth_monday(y, 9, 3), "敬老の日");
  } else {
    add(9, 15, "敬老の日");
  }
  add(9, autumnal_equinox_day(y), "秋分の日");
  if (y == 2020) {
    add(7, 24, "スポーツの日");
  } else if (y == 2021) {
    add(7, 23, "スポーツの日");
  } else if (y >= 2020) {
    add_date(nth_monday(y, 10, 2), "スポーツの日");
  } else if (y >= 2000) {
    add_date(nth_monday(y, 10, 2), "体育の日");
  } else {
    add(10, 10, "体育の日");
  }
  add(11, 3, "文化の日");
  add(11, 23, "勤労感謝の日");
  if (y >= 1989 && y <= 2018) add(12, 23, "天皇誕生日");

  // One-off days set by special laws.
  if (y == 1989) add(2, 24, "昭和天皇の大喪の礼");
  if (y == 1990) add(11, 12, "即位礼正殿の儀");
  if (y == 1993) add(6, 9, "皇太子徳仁親王の結婚の儀");
  if (y == 2019) {
    add(5, 1, "天皇の即位の日");
    add(10, 22, "即位礼正殿の儀");
  }
  return h;
}

const CivilDate kSubstituteFrom{1973, 4, 12};   // 昭和48年法律第10号
const CivilDate kCitizensFrom{1985, 12, 27};    // 昭和60年法律第103号
const CivilDate kLaw2007{2007, 1, 1};           // 平成17年法律第43号

}  // namespace

int vernal_equinox_day(int year) {
  if (year < kFirstHolidayYear || year > kLastHolidayYear) return 0;
  if (year < 1980) return kVernal1970s[year - 1970];
  // The standard approximation, valid 1980-2099 (Japan Standard Time).
  int n = year - 1980;
  return static_cast<int>(std::floor(20.8431 + 0.242194 * n - n / 4));
}

int autumnal_equinox_day(int year) {
  if (year < kFirstHolidayYear || year > kLastHolidayYear) return 0;
  if (year < 1980) return kAutumnal1970s[year - 1970];
  int n = year - 1980;
  return static_cast<int>(std::floor(23.2488 + 0.242194 * n - n / 4));
}

Result<std::vector<Holiday>> jp_holidays(int year) {
  if (year < kFirstHolidayYear || year > kLastHolidayYear) {
    return Status::invalid("holidays are known for " + std::to_string(kFirstHolidayYear) + " to " +
                           std::to_string(kLastHolidayYear) + ", not " + std::to_string(year));
  }
  const std::map<CivilDate, std::string> national = national_days(year);
  std::map<CivilDate, std::string> all = national;
  auto is_national = [&](const CivilDate& d) { return national.count(d) > 0; };

  // 振替休日.
  for (const auto& [date, name] : national) {
    if (date < kSubstituteFrom || date.weekday() != kSunday) continue;
    CivilDate next = date.plus_days(1);
    if (date >= kLaw2007) {
      while (is_national(next)) next = next.plus_days(1);
    } else if (is_national(next)) {
      continue;  // before 2007 the substitute was the next day only
    }
    all.emplace(next, "振替休日");
  }

  // 国民の休日: a day between two national holidays that is not one itself.
  for (const auto& [date, name] : national) {
    CivilDate middle = date.plus_days(1);
    if (middle < kCitizensFrom || middle.year != year) continue;
    if (is_national(middle) || !is_national(middle.plus_days(1))) continue;
    if (middle < kLaw2007 && (middle.weekday() == kSunday || all.count(middle) > 0)) continue;
    all.emplace(middle, "国民の休日");
  }

  std::vector<Holiday> out;
  out.reserve(all.size());
  for (auto& [date, name] : all) out.push_back(Holiday{date, name});
  return out;
}

std::optional<std::string> jp_holiday_name(const CivilDate& date) {
  auto list = jp_holidays(date.year);
  if (!list) return std::nullopt;
  for (const Holiday& h : *list) {
    if (h.date == date) return h.name;
  }
  return std::nullopt;
}

}  // namespace jimu

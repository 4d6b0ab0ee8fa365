#include "engine/calendar/civil_date.h"

#include <cstdio>

namespace jimu {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

constexpr Era kEras[] = {
    {"令和", "R", {2019, 5, 1}}, {"平成", "H", {1989, 1, 8}}, {"昭和", "S", {1926, 12, 25}},
    {"大正", "T", {1912, 7, 30}}, {"明治", "M", {1868, 1, 25}},
};

}  // namespace

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

bool CivilDate::is_valid(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

std::optional<CivilDate> CivilDate::parse_iso(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t n, int* out) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    *out = v;
    return true;
  };
  CivilDate d;
  if (!digits(0, 4, &d.year) || !digits(5, 2, &d.month) || !digits(8, 2, &d.day)) {
    return std::nullopt;
  }
  if (!is_valid(d.year, d.month, d.day)) return std::nullopt;
  return d;
}

CivilDate CivilDate::from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

CivilDate CivilDate::from_epoch_ms(int64_t ms, int utc_offset_minutes) {
  int64_t local_ms = ms + static_cast<int64_t>(utc_offset_minutes) * 60000;
  int64_t days = local_ms / 86400000;
  if (local_ms % 86400000 < 0) --days;
  return from_days(days);
}

int64_t CivilDate::days_since_epoch() const {
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

int CivilDate::weekday() const {
  int64_t z = days_since_epoch();
  return static_cast<int>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

std::string CivilDate::iso() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

int fiscal_year_of(const CivilDate& date) { return date.month >= 4 ? date.year : date.year - 1; }
CivilDate fiscal_year_start(int fy) { return CivilDate{fy, 4, 1}; }
CivilDate fiscal_year_end(int fy) { return CivilDate{fy + 1, 3, 31}; }

const Era* era_of(const CivilDate& date) {
  for (const Era& era : kEras) {
    if (date >= era.first_day) return &era;
  }
  return nullptr;
}

std::span<const Era> japanese_eras() { return kEras; }

std::string fiscal_year_wareki_label(int fiscal_year) {
  CivilDate middle{fiscal_year, 10, 1};
  const Era* era = era_of(middle);
  if (era == nullptr) return std::to_string(fiscal_year) + "年度";
  int n = fiscal_year - era->first_day.year + 1;
  return std::string(era->name) + (n == 1 ? "元" : std::to_string(n)) + "年度";
}

}  // namespace jimu

// CronExpr: a five-field cron expression ("minute hour day-of-month month day-of-week") and the
// next local time it matches. No cron parser for C++ exists in Debian (DEPENDENCIES.md).
//
// Fields take numbers, ranges (1-5), lists (1,15), steps (*/15, 10-50/10), month names (JAN-DEC)
// and weekday names (SUN-SAT; 0 and 7 are Sunday), as Vixie cron does; when both day fields are
// restricted, a day matches if either does. Shorthands: @yearly @annually @monthly @weekly @daily
// @midnight @hourly. Times are local wall-clock minutes at a fixed UTC offset (Japan: +9:00, no
// daylight saving). Value type; thread-safe.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/calendar/civil_date.h"
#include "engine/core/status.h"

namespace jimu {

// A local wall-clock minute.
struct LocalMinute {
  CivilDate date;
  int hour = 0;    // 0..23
  int minute = 0;  // 0..59
  auto operator<=>(const LocalMinute&) const = default;

  // Minutes since 1970-01-01 00:00 local.
  int64_t index() const { return date.days_since_epoch() * 1440 + hour * 60 + minute; }
  static LocalMinute from_index(int64_t minutes);
  static LocalMinute from_epoch_ms(int64_t ms, int utc_offset_minutes = 540);
  int64_t to_epoch_ms(int utc_offset_minutes = 540) const;
  std::string to_string() const;  // "2026-11-24 02:00"
};

class CronExpr {
 public:
  // Parses text; errors name the field and what is wrong ("cron '0 25 * * *': hour 25 is out of
  // range 0-23"). An expression that can never fire (0 0 30 2 *) is an error too.
  static Result<CronExpr> parse(const std::string& text);

  bool matches_day(const CivilDate& d) const;
  bool matches_month(int month) const { return months_[static_cast<size_t>(month)]; }
  bool matches(const LocalMinute& t) const;
  // The first matching minute strictly after t; nullopt if none within ~5 years (cannot happen
  // for a parsed expression, but callers must not loop forever).
  std::optional<LocalMinute> next_after(const LocalMinute& t) const;
  // The matching minutes of day d, in order, through fn(hour, minute).
  template <typename F>
  void for_each_time(F fn) const {
    for (int h = 0; h < 24; ++h) {
      if (!hours_[h]) continue;
      for (int m = 0; m < 60; ++m) {
        if (minutes_[m]) fn(h, m);
      }
    }
  }

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1..31
  std::bitset<13> months_;  // 1..12
  std::bitset<7> weekdays_; // 0 = Sunday
  bool dom_restricted_ = false;
  bool dow_restricted_ = false;
};

}  // namespace jimu

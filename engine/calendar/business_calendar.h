// BusinessCalendar: the business days of a Japanese government office, for due dates of approval
// steps, the scheduler's "on business days" and "last business day of the month".
//
// A day is closed when it is a closed weekday (Saturday and Sunday by default), a national holiday
// (jp_holidays.h), in the government's year-end closure December 29 to January 3 (行政機関の休日,
// on by default), or one of the office's local closing days. The calendar covers 1970-01-01 to
// 2099-12-31 (the years whose holidays are computed); a date outside fails with code invalid.
//
// Semantics, chosen so that a due date "n business days after d" reads as people count:
// - next_business_day(d) / previous_business_day(d): strictly after / before d.
// - add_business_days(d, n): for n > 0 the n-th business day strictly after d, for n < 0 the |n|-th
//   strictly before d; d itself never counts, business day or not (Saturday + 1 = Monday, as is
//   Friday + 1). For n = 0: d if it is a business day, else the next business day.
// - business_days_between(a, b): the business days in (a, b] when a <= b, and minus those in
//   (b, a] when a > b (so between(a, b) == -between(b, a)). Friday to Monday is 1.
//   business_days_between(d, add_business_days(d, n)) == n for every n > 0, and for n < 0 when d
//   is itself a business day (from a Saturday, -1 gives Friday, and Friday to Saturday is 0).
// - nth_business_day_of_month(y, m, n): n >= 1 counts from the month's start, n <= -1 from its end
//   (-1 = the last business day).
//
// Immutable after construction: every method is const and thread-safe. Each calendar holds a
// table of the ~47,000 days it covers (about 230 KB), so lookups and counts take constant time.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "engine/calendar/civil_date.h"
#include "engine/calendar/jp_holidays.h"
#include "engine/core/status.h"

namespace jimu {

struct BusinessCalendarOptions {
  // The government's year-end closure, December 29 to January 3. Default: on.
  bool government_closure = true;
  // The office's own closing days (e.g. 2026-08-14). Default: none. Days outside the calendar's
  // range are ignored.
  std::vector<CivilDate> local_closing_days;
  // Closed weekdays, indexed 0 = Sunday .. 6 = Saturday. Default: Saturday and Sunday.
  std::array<bool, 7> closed_weekdays = {true, false, false, false, false, false, true};
};

// Why a day is closed; kOpen for a business day.
enum class DayKind : uint8_t { kOpen, kWeekend, kHoliday, kClosure, kLocal };

// A closed day other than a plain weekend, for listings.
struct ClosedDay {
  CivilDate date;
  std::string name;  // the holiday's name, "年末年始の休日" or "閉庁日"
  DayKind kind;      // kHoliday, kClosure or kLocal
};

class BusinessCalendar {
 public:
  static constexpr int kFirstYear = kFirstHolidayYear;  // 1970
  static constexpr int kLastYear = kLastHolidayYear;    // 2099

  explicit BusinessCalendar(const BusinessCalendarOptions& options = {});

  // True for dates in kFirstYear-01-01 .. kLastYear-12-31.
  static bool covers(const CivilDate& date);

  Result<bool> is_business_day(const CivilDate& date) const;
  // Why date is closed (a holiday wins over a weekend, then the closure, then local days).
  Result<DayKind> kind_of(const CivilDate& date) const;
  Result<CivilDate> next_business_day(const CivilDate& date) const;
  Result<CivilDate> previous_business_day(const CivilDate& date) const;
  Result<CivilDate> add_business_days(const CivilDate& date, int64_t n) const;
  Result<int64_t> business_days_between(const CivilDate& a, const CivilDate& b) const;
  // Fails (not_found) when the month has fewer business days than |n|, (invalid) for n = 0.
  Result<CivilDate> nth_business_day_of_month(int year, int month, int n) const;
  // Every closed day of year that is not merely a weekend, in date order: national holidays
  // (also on weekends), the closure days and the local closing days, each date once.
  Result<std::vector<ClosedDay>> closed_days(int year) const;

  const BusinessCalendarOptions& options() const { return options_; }

 private:
  Status check(const CivilDate& date) const;
  int64_t index(const CivilDate& date) const;
  // Business days in [first day, index) : open_before[i].
  int64_t open_before(int64_t i) const { return table().open_before[static_cast<size_t>(i)]; }
  // The index of the k-th business day (k from 1) of the whole range, or -1.
  int64_t kth_open(int64_t k) const;

  BusinessCalendarOptions options_;
  // The day table is built on first use (about 6 ms for 1970-2099): every jimu command makes a
  // calendar, few consult it.
  struct Table {
    std::vector<DayKind> kinds;        // one per day of the range
    std::vector<int32_t> open_before;  // size kinds.size() + 1
  };
  const Table& table() const;
  void build(Table* t) const;
  mutable std::once_flag built_;
  mutable Table table_;
};

}  // namespace jimu

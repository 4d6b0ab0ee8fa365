#include "engine/calendar/business_calendar.h"

#include <algorithm>
#include <cstdio>

namespace jimu {
namespace {

const CivilDate kFirstDay{BusinessCalendar::kFirstYear, 1, 1};
const CivilDate kLastDay{BusinessCalendar::kLastYear, 12, 31};

std::string range_message(const CivilDate& d) {
  return d.iso() + " is outside the business calendar (" + kFirstDay.iso() + " to " +
         kLastDay.iso() + ")";
}

}  // namespace

BusinessCalendar::BusinessCalendar(const BusinessCalendarOptions& options) : options_(options) {}

const BusinessCalendar::Table& BusinessCalendar::table() const {
  std::call_once(built_, [this] { build(&table_); });
  return table_;
}

void BusinessCalendar::build(Table* t) const {
  const int64_t first = kFirstDay.days_since_epoch();
  const int64_t count = kLastDay.days_since_epoch() - first + 1;
  t->kinds.assign(static_cast<size_t>(count), DayKind::kOpen);
  // Lowest precedence first, so a later kind overwrites: weekend < local < closure < holiday.
  for (int64_t i = 0; i < count; ++i) {
    if (options_.closed_weekdays[static_cast<size_t>(CivilDate::from_days(first + i).weekday())]) {
      t->kinds[static_cast<size_t>(i)] = DayKind::kWeekend;
    }
  }
  for (const CivilDate& d : options_.local_closing_days) {
    if (covers(d)) t->kinds[static_cast<size_t>(index(d))] = DayKind::kLocal;
  }
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    if (options_.government_closure) {
      for (CivilDate d : {CivilDate{y, 1, 1}, CivilDate{y, 1, 2}, CivilDate{y, 1, 3},
                          CivilDate{y, 12, 29}, CivilDate{y, 12, 30}, CivilDate{y, 12, 31}}) {
        t->kinds[static_cast<size_t>(index(d))] = DayKind::kClosure;
      }
    }
    const auto holidays = jp_holidays(y);  // held: value() of a temporary would dangle
    for (const Holiday& h : *holidays) {
      t->kinds[static_cast<size_t>(index(h.date))] = DayKind::kHoliday;
    }
  }
  t->open_before.assign(t->kinds.size() + 1, 0);
  for (size_t i = 0; i < t->kinds.size(); ++i) {
    t->open_before[i + 1] = t->open_before[i] + (t->kinds[i] == DayKind::kOpen ? 1 : 0);
  }
}

bool BusinessCalendar::covers(const CivilDate& date) {
  return CivilDate::is_valid(date.year, date.month, date.day) && date >= kFirstDay &&
         date <= kLastDay;
}

Status BusinessCalendar::check(const CivilDate& date) const {
  if (!CivilDate::is_valid(date.year, date.month, date.day)) {
    return Status::invalid(std::to_string(date.year) + "-" + std::to_string(date.month) + "-" +
                           std::to_string(date.day) + " is not a date");
  }
  if (!covers(date)) return Status::invalid(range_message(date));
  return Status::ok();
}

int64_t BusinessCalendar::index(const CivilDate& date) const {
  return date.days_since_epoch() - kFirstDay.days_since_epoch();
}

int64_t BusinessCalendar::kth_open(int64_t k) const {
  // The first index i with open_before_[i + 1] == k, i.e. the k-th open day.
  const std::vector<int32_t>& open = table().open_before;
  if (k < 1 || k > open.back()) return -1;
  auto it = std::lower_bound(open.begin(), open.end(), static_cast<int32_t>(k));
  return (it - open.begin()) - 1;
}

Result<bool> BusinessCalendar::is_business_day(const CivilDate& date) const {
  if (Status s = check(date); !s) return s;
  return table().kinds[static_cast<size_t>(index(date))] == DayKind::kOpen;
}

Result<DayKind> BusinessCalendar::kind_of(const CivilDate& date) const {
  if (Status s = check(date); !s) return s;
  return table().kinds[static_cast<size_t>(index(date))];
}

Result<CivilDate> BusinessCalendar::next_business_day(const CivilDate& date) const {
  return add_business_days(date, 1);
}

Result<CivilDate> BusinessCalendar::previous_business_day(const CivilDate& date) const {
  return add_business_days(date, -1);
}

Result<CivilDate> BusinessCalendar::add_business_days(const CivilDate& date, int64_t n) const {
  if (Status s = check(date); !s) return s;
  const int64_t i = index(date);
  int64_t k;  // the rank of the wanted business day in the whole range
  if (n > 0) {
    k = open_before(i + 1) + n;  // business days up to and including d, then n more
  } else if (n < 0) {
    k = open_before(i) + n + 1;  // business days strictly before d, counted back
  } else {
    k = open_before(i) + 1;  // d itself if open, else the next one
  }
  int64_t j = kth_open(k);
  if (j < 0) {
    return Status::invalid("adding " + std::to_string(n) + " business days to " + date.iso() +
                           " leaves the business calendar (" + kFirstDay.iso() + " to " +
                           kLastDay.iso() + ")");
  }
  return CivilDate::from_days(kFirstDay.days_since_epoch() + j);
}

Result<int64_t> BusinessCalendar::business_days_between(const CivilDate& a,
                                                         const CivilDate& b) const {
  if (Status s = check(a); !s) return s;
  if (Status s = check(b); !s) return s;
  // (a, b] = [a + 1, b + 1)
  return open_before(index(b) + 1) - open_before(index(a) + 1);
}

Result<CivilDate> BusinessCalendar::nth_business_day_of_month(int year, int month, int n) const {
  if (month < 1 || month > 12) {
    return Status::invalid("month " + std::to_string(month) + " is not 1 to 12");
  }
  if (n == 0) return Status::invalid("business day 0 of a month: count from 1, or from -1 back");
  CivilDate first{year, month, 1};
  CivilDate last{year, month, days_in_month(year, month)};
  if (Status s = check(first); !s) return s;
  const int64_t lo = open_before(index(first));
  const int64_t hi = open_before(index(last) + 1);
  const int64_t available = hi - lo;
  const int64_t want = n > 0 ? n : -static_cast<int64_t>(n);
  if (want > available) {
    char month_text[16];
    std::snprintf(month_text, sizeof month_text, "%04d-%02d", year, month);
    return Status::not_found(std::string(month_text) + " has " + std::to_string(available) +
                             " business days, so it has no business day " + std::to_string(n));
  }
  const int64_t k = n > 0 ? lo + n : hi + n + 1;
  return CivilDate::from_days(kFirstDay.days_since_epoch() + kth_open(k));
}

Result<std::vector<ClosedDay>> BusinessCalendar::closed_days(int year) const {
  if (year < kFirstYear || year > kLastYear) {
    return Status::invalid("the business calendar covers " + std::to_string(kFirstYear) + " to " +
                           std::to_string(kLastYear) + ", not " + std::to_string(year));
  }
  std::vector<ClosedDay> out;
  const auto holidays = jp_holidays(year);
  size_t h = 0;
  for (CivilDate d{year, 1, 1}; d.year == year; d = d.plus_days(1)) {
    DayKind kind = table().kinds[static_cast<size_t>(index(d))];
    if (h < holidays->size() && (*holidays)[h].date == d) {
      out.push_back(ClosedDay{d, (*holidays)[h].name, DayKind::kHoliday});
      ++h;
    } else if (kind == DayKind::kClosure) {
      out.push_back(ClosedDay{d, "年末年始の休日", kind});
    } else if (kind == DayKind::kLocal) {
      out.push_back(ClosedDay{d, "閉庁日", kind});
    }
  }
  return out;
}

}  // namespace jimu

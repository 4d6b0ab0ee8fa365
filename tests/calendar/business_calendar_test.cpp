#include "engine/calendar/business_calendar.h"

#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

namespace jimu {
namespace {

CivilDate d(int y, int m, int day) { return CivilDate{y, m, day}; }

BusinessCalendar with_obon() {
  BusinessCalendarOptions o;
  o.local_closing_days = {d(2026, 8, 14), d(2026, 8, 15)};
  return BusinessCalendar(o);
}

bool open(const BusinessCalendar& c, const CivilDate& x) {
  auto r = c.is_business_day(x);
  REQUIRE(r.is_ok());
  return *r;
}

CivilDate add(const BusinessCalendar& c, const CivilDate& x, int64_t n) {
  auto r = c.add_business_days(x, n);
  INFO(x.iso() << " + " << n << ": " << r.status().message());
  REQUIRE(r.is_ok());
  return *r;
}

int64_t between(const BusinessCalendar& c, const CivilDate& a, const CivilDate& b) {
  auto r = c.business_days_between(a, b);
  REQUIRE(r.is_ok());
  return *r;
}

TEST_CASE("business calendar: weekends, holidays, the year-end closure and local days are closed",
          "[business]") {
  BusinessCalendar c = with_obon();
  CHECK(open(c, d(2026, 4, 1)));         // Wednesday
  CHECK_FALSE(open(c, d(2026, 4, 4)));   // Saturday
  CHECK_FALSE(open(c, d(2026, 4, 5)));   // Sunday
  CHECK_FALSE(open(c, d(2026, 4, 29)));  // 昭和の日
  CHECK_FALSE(open(c, d(2026, 5, 6)));   // 振替休日
  CHECK_FALSE(open(c, d(2026, 9, 22)));  // 国民の休日
  CHECK_FALSE(open(c, d(2026, 12, 29)));
  CHECK_FALSE(open(c, d(2027, 1, 3)));
  CHECK_FALSE(open(c, d(2026, 8, 14)));  // local closing day
  CHECK(open(c, d(2026, 8, 13)));
  CHECK(open(c, d(2026, 12, 28)));
  CHECK(*c.kind_of(d(2026, 1, 1)) == DayKind::kHoliday);
  CHECK(*c.kind_of(d(2026, 1, 2)) == DayKind::kClosure);
  CHECK(*c.kind_of(d(2026, 8, 15)) == DayKind::kLocal);  // a Saturday: the local day is named
  CHECK(*c.kind_of(d(2026, 4, 4)) == DayKind::kWeekend);
  CHECK(*c.kind_of(d(2026, 11, 23)) == DayKind::kHoliday);
  CHECK(*c.kind_of(d(2026, 4, 1)) == DayKind::kOpen);
}

TEST_CASE("business calendar: options turn off the closure and change the weekend",
          "[business]") {
  BusinessCalendarOptions o;
  o.government_closure = false;
  o.closed_weekdays = {true, false, false, false, false, false, false};  // Sundays only
  BusinessCalendar c(o);
  CHECK(open(c, d(2026, 12, 29)));
  CHECK(open(c, d(2026, 4, 4)));         // Saturday
  CHECK_FALSE(open(c, d(2026, 1, 1)));   // 元日 stays a holiday
  CHECK_FALSE(open(c, d(2026, 4, 5)));   // Sunday
  CHECK(open(c, d(2026, 8, 14)));        // no local days here
}

TEST_CASE("business calendar: next and previous business day are strictly after and before",
          "[business]") {
  BusinessCalendar c = with_obon();
  CHECK(*c.next_business_day(d(2026, 4, 1)) == d(2026, 4, 2));
  CHECK(*c.next_business_day(d(2026, 5, 1)) == d(2026, 5, 7));  // Golden Week
  CHECK(*c.next_business_day(d(2026, 8, 13)) == d(2026, 8, 17));
  CHECK(*c.next_business_day(d(2026, 12, 28)) == d(2027, 1, 4));
  CHECK(*c.previous_business_day(d(2027, 1, 4)) == d(2026, 12, 28));
  CHECK(*c.previous_business_day(d(2026, 5, 7)) == d(2026, 5, 1));
  CHECK(*c.previous_business_day(d(2026, 5, 4)) == d(2026, 5, 1));
}

TEST_CASE("business calendar: adding business days never counts the starting day",
          "[business]") {
  BusinessCalendar c = with_obon();
  CHECK(add(c, d(2026, 4, 3), 1) == d(2026, 4, 6));  // Friday + 1
  CHECK(add(c, d(2026, 4, 4), 1) == d(2026, 4, 6));  // Saturday + 1
  CHECK(add(c, d(2026, 4, 4), 3) == d(2026, 4, 8));
  CHECK(add(c, d(2026, 4, 6), 0) == d(2026, 4, 6));  // 0: the day itself when open
  CHECK(add(c, d(2026, 4, 4), 0) == d(2026, 4, 6));  // 0: else the next business day
  CHECK(add(c, d(2026, 4, 6), -1) == d(2026, 4, 3));
  CHECK(add(c, d(2026, 4, 5), -1) == d(2026, 4, 3));  // Sunday - 1
  CHECK(add(c, d(2026, 4, 28), 5) == d(2026, 5, 11));  // 4/30, 5/1, 5/7, 5/8, 5/11
  CHECK(add(c, d(2026, 12, 25), 2) == d(2027, 1, 4));
  CHECK(add(c, d(2027, 1, 4), -2) == d(2026, 12, 25));
  auto far = c.add_business_days(d(2099, 12, 1), 100);
  REQUIRE_FALSE(far.is_ok());
  CHECK(far.status().code() == Code::kInvalid);
  CHECK(far.status().message() ==
        "adding 100 business days to 2099-12-01 leaves the business calendar (1970-01-01 to "
        "2099-12-31)");
}

TEST_CASE("business calendar: business days between counts the days after a up to and including b", "[business]") {
  BusinessCalendar c = with_obon();
  CHECK(between(c, d(2026, 4, 3), d(2026, 4, 6)) == 1);
  CHECK(between(c, d(2026, 4, 6), d(2026, 4, 3)) == -1);
  CHECK(between(c, d(2026, 4, 6), d(2026, 4, 6)) == 0);
  CHECK(between(c, d(2026, 4, 4), d(2026, 4, 5)) == 0);
  CHECK(between(c, d(2026, 3, 31), d(2026, 4, 30)) == 21);  // April 2026
  CHECK(between(c, d(2026, 4, 30), d(2026, 5, 31)) == 18);  // May 2026
  CHECK(between(c, d(2026, 7, 31), d(2026, 8, 31)) == 19);  // August, without 8/11 and 8/14
}

TEST_CASE("business calendar: adding and counting agree everywhere", "[business]") {
  BusinessCalendar c = with_obon();
  for (CivilDate x = d(2024, 1, 1); x.year <= 2027; x = x.plus_days(5)) {
    for (int n : {-40, -7, -1, 1, 2, 10, 61}) {
      INFO(x.iso() << " " << n);
      CivilDate y = add(c, x, n);
      if (n > 0 || open(c, x)) CHECK(between(c, x, y) == n);
      if (n < 0 && !open(c, x)) CHECK(between(c, x, y) == n + 1);
      CHECK(open(c, y));
      CHECK(between(c, y, x) == -between(c, x, y));
      if (n > 0) CHECK(add(c, x, between(c, x, y)) == y);
    }
  }
}

TEST_CASE("business calendar: the n-th and last business day of a month", "[business]") {
  BusinessCalendar c = with_obon();
  CHECK(*c.nth_business_day_of_month(2026, 1, 1) == d(2026, 1, 5));
  CHECK(*c.nth_business_day_of_month(2026, 5, 1) == d(2026, 5, 1));
  CHECK(*c.nth_business_day_of_month(2026, 5, 2) == d(2026, 5, 7));
  CHECK(*c.nth_business_day_of_month(2026, 5, -1) == d(2026, 5, 29));
  CHECK(*c.nth_business_day_of_month(2026, 5, -2) == d(2026, 5, 28));
  CHECK(*c.nth_business_day_of_month(2026, 5, 18) == d(2026, 5, 29));
  CHECK(*c.nth_business_day_of_month(2026, 5, -18) == d(2026, 5, 1));
  CHECK(*c.nth_business_day_of_month(2026, 12, -1) == d(2026, 12, 28));
  CHECK(*c.nth_business_day_of_month(2027, 3, -1) == d(2027, 3, 31));
  auto none = c.nth_business_day_of_month(2026, 5, 19);
  REQUIRE_FALSE(none.is_ok());
  CHECK(none.status().code() == Code::kNotFound);
  CHECK(none.status().message() == "2026-05 has 18 business days, so it has no business day 19");
  CHECK(c.nth_business_day_of_month(2026, 5, -19).status().message() ==
        "2026-05 has 18 business days, so it has no business day -19");
  CHECK(c.nth_business_day_of_month(2026, 5, 0).status().message() ==
        "business day 0 of a month: count from 1, or from -1 back");
  CHECK(c.nth_business_day_of_month(2026, 13, 1).status().message() == "month 13 is not 1 to 12");
}

TEST_CASE("business calendar: dates outside 1970-2099 are refused", "[business]") {
  BusinessCalendar c;
  auto r = c.is_business_day(d(2100, 1, 1));
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalid);
  CHECK(r.status().message() ==
        "2100-01-01 is outside the business calendar (1970-01-01 to 2099-12-31)");
  CHECK(c.is_business_day(d(1969, 12, 31)).status().message() ==
        "1969-12-31 is outside the business calendar (1970-01-01 to 2099-12-31)");
  CHECK(c.is_business_day(d(2026, 2, 30)).status().message() == "2026-2-30 is not a date");
  CHECK(c.is_business_day(d(1970, 1, 5)).is_ok());
  CHECK(c.is_business_day(d(2099, 12, 31)).is_ok());
  CHECK(c.closed_days(2100).status().message() ==
        "the business calendar covers 1970 to 2099, not 2100");
}

TEST_CASE("business calendar: closed days of a year list holidays, the closure and local days",
          "[business]") {
  BusinessCalendar c = with_obon();
  auto list = c.closed_days(2026);
  REQUIRE(list.is_ok());
  REQUIRE(list->size() == 18 + 5 + 2);  // holidays, 1/2 1/3 12/29-31, 8/14 8/15
  CHECK((*list)[0].name == "元日");
  CHECK((*list)[0].kind == DayKind::kHoliday);
  CHECK((*list)[1].date == d(2026, 1, 2));
  CHECK((*list)[1].name == "年末年始の休日");
  CHECK((*list)[1].kind == DayKind::kClosure);
  bool saw_local = false;
  for (const ClosedDay& x : *list) {
    if (x.date == d(2026, 8, 14)) {
      saw_local = true;
      CHECK(x.name == "閉庁日");
      CHECK(x.kind == DayKind::kLocal);
    }
  }
  CHECK(saw_local);
  CHECK(list->back().date == d(2026, 12, 31));
  // Without the closure and local days, the list is the national holidays.
  BusinessCalendarOptions plain;
  plain.government_closure = false;
  CHECK(BusinessCalendar(plain).closed_days(2026)->size() == 18);
}

TEST_CASE("business calendar: one calendar serves many threads at once", "[business]") {
  const BusinessCalendar c = with_obon();
  std::vector<std::thread> threads;
  std::vector<int64_t> counts(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c, &counts, t] {
      for (int i = 0; i < 200; ++i) {
        counts[static_cast<size_t>(t)] += *c.business_days_between(d(2026, 3, 31), d(2027, 3, 31));
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int64_t n : counts) CHECK(n == counts[0]);
  CHECK(counts[0] / 200 == between(c, d(2026, 3, 31), d(2027, 3, 31)));
}

}  // namespace
}  // namespace jimu

// Schedules against a calendar of weekends plus a few holidays written out here (the national
// holiday rules are tested with the calendar itself).
#include <catch2/catch.hpp>

#include <set>

#include "engine/scheduler/schedule.h"

using namespace jimu;

namespace {

const std::set<std::string> kHolidays = {
    "2026-11-03", "2026-11-23",                                        // 文化の日, 勤労感謝の日
    "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02", "2027-01-03",  // 年末年始
    "2027-01-11",                                                      // 成人の日
    "2027-03-22"};                                                     // 春分の日の振替? (test data)

BusinessDays calendar() {
  BusinessDays b;
  b.is_business_day = [](const CivilDate& d) {
    return d.weekday() != 0 && d.weekday() != 6 && !kHolidays.count(d.iso());
  };
  b.day_off_name = [](const CivilDate& d) -> std::string {
    if (kHolidays.count(d.iso())) return "holiday";
    return d.weekday() == 0 ? "Sunday" : "Saturday";
  };
  return b;
}

ScheduleSpec spec(const std::string& cron, HolidayPolicy p, std::optional<int> bd = {}) {
  auto c = CronExpr::parse(cron);
  REQUIRE(c);
  return ScheduleSpec{*c, p, bd};
}

std::vector<std::string> fires(const ScheduleSpec& s, CivilDate from, CivilDate to) {
  std::vector<std::string> out;
  for (const Fire& f : fires_between(s, calendar(), {from, 0, 0}, {to, 0, 0})) {
    out.push_back(f.at.to_string() + (f.moved() ? " (from " + f.nominal.date.iso() + ")" : ""));
  }
  return out;
}

}  // namespace

TEST_CASE("schedule: run anyway fires on every cron match", "[schedule]") {
  CHECK(fires(spec("0 2 * * *", HolidayPolicy::kRun), {2026, 11, 21}, {2026, 11, 24}) ==
        std::vector<std::string>{"2026-11-21 02:00", "2026-11-22 02:00", "2026-11-23 02:00"});
}

TEST_CASE("schedule: skip drops weekends and holidays", "[schedule]") {
  CHECK(fires(spec("0 2 * * *", HolidayPolicy::kSkip), {2026, 11, 20}, {2026, 11, 26}) ==
        std::vector<std::string>{"2026-11-20 02:00", "2026-11-24 02:00", "2026-11-25 02:00"});
}

TEST_CASE("schedule: next moves to the next business day and merges the moved fires", "[schedule]") {
  // Sat, Sun and the Monday holiday all move to Tuesday 02:00: one run there, not three.
  CHECK(fires(spec("0 2 * * *", HolidayPolicy::kNext), {2026, 11, 20}, {2026, 11, 26}) ==
        std::vector<std::string>{"2026-11-20 02:00", "2026-11-24 02:00", "2026-11-25 02:00"});
  // A monthly job on the 1st of a year-end closure moves past it and the weekend.
  CHECK(fires(spec("0 6 1 * *", HolidayPolicy::kNext), {2026, 12, 2}, {2027, 2, 1}) ==
        std::vector<std::string>{"2027-01-04 06:00 (from 2027-01-01)"});
}

TEST_CASE("schedule: previous moves to the business day before", "[schedule]") {
  // The 3rd of January 2027 is in the year-end closure (and a Sunday): the job runs on 28 December.
  CHECK(fires(spec("0 6 3 * *", HolidayPolicy::kPrevious), {2026, 12, 20}, {2027, 1, 10}) ==
        std::vector<std::string>{"2026-12-28 06:00 (from 2027-01-03)"});
}

TEST_CASE("schedule: the last business day of the month", "[schedule]") {
  auto s = spec("0 18 * * *", HolidayPolicy::kRun, -1);
  CHECK(fires(s, {2026, 11, 1}, {2027, 4, 1}) ==
        std::vector<std::string>{"2026-11-30 18:00", "2026-12-28 18:00", "2027-01-29 18:00",
                                 "2027-02-26 18:00", "2027-03-31 18:00"});
  // The month field still applies: the last business day of March only.
  auto march = spec("0 18 * 3 *", HolidayPolicy::kRun, -1);
  CHECK(fires(march, {2026, 4, 1}, {2027, 4, 1}) == std::vector<std::string>{"2027-03-31 18:00"});
}

TEST_CASE("schedule: the Nth business day of the month", "[schedule]") {
  // January 2027: 1-3 closed, 4-8 are the 1st to 5th business days, 9-10 a weekend, 11 a holiday.
  CHECK(fires(spec("0 9 * * *", HolidayPolicy::kRun, 5), {2027, 1, 1}, {2027, 2, 1}) ==
        std::vector<std::string>{"2027-01-08 09:00"});
  CHECK(fires(spec("0 9 * * *", HolidayPolicy::kRun, 6), {2027, 1, 1}, {2027, 2, 1}) ==
        std::vector<std::string>{"2027-01-12 09:00"});
  CHECK(fires(spec("0 9 * * *", HolidayPolicy::kRun, 1), {2027, 1, 1}, {2027, 2, 1}) ==
        std::vector<std::string>{"2027-01-04 09:00"});
}

TEST_CASE("schedule: next_fire agrees with fires_between over a whole year", "[schedule]") {
  for (auto p : {HolidayPolicy::kRun, HolidayPolicy::kSkip, HolidayPolicy::kNext, HolidayPolicy::kPrevious}) {
    auto s = spec("30 1 * * *", p);
    auto all = fires_between(s, calendar(), {{2026, 4, 1}, 0, 0}, {{2027, 4, 1}, 0, 0});
    LocalMinute t{{2026, 3, 31}, 23, 59};
    size_t i = 0;
    while (i < all.size()) {
      auto n = next_fire(s, calendar(), t);
      REQUIRE(n);
      CHECK(n->at == all[i].at);
      t = n->at;
      ++i;
    }
  }
}

TEST_CASE("schedule: the plan says what is skipped or moved and why", "[schedule]") {
  auto plan = plan_between(spec("0 2 * * *", HolidayPolicy::kNext), calendar(),
                           {{2026, 11, 22}, 0, 0}, {{2026, 11, 25}, 0, 0});
  REQUIRE(plan.size() == 3);
  CHECK(plan[0].reason == "Sunday: moved to 2026-11-24");
  CHECK(plan[1].reason == "holiday: moved to 2026-11-24");
  CHECK(plan[1].at->to_string() == "2026-11-24 02:00");
  CHECK(plan[2].reason.empty());
  auto skip = plan_between(spec("0 2 * * *", HolidayPolicy::kSkip), calendar(),
                           {{2026, 11, 23}, 0, 0}, {{2026, 11, 24}, 0, 0});
  REQUIRE(skip.size() == 1);
  CHECK_FALSE(skip[0].at);
  CHECK(skip[0].reason == "holiday: skipped");
}

TEST_CASE("schedule: business-day rules are parsed with a clear error", "[schedule]") {
  CHECK(*parse_business_day_rule("last").value() == -1);
  CHECK(*parse_business_day_rule("3").value() == 3);
  CHECK(parse_business_day_rule("0").status().message() ==
        "business_day '0' must be 1 to 23 (the Nth business day of the month), 'last', or -1 to "
        "-23 (counting from the end)");
  CHECK_FALSE(parse_business_day_rule("first"));
}

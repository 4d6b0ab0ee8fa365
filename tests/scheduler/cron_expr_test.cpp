#include <catch2/catch.hpp>

#include "engine/scheduler/cron_expr.h"

using jimu::CivilDate;
using jimu::CronExpr;
using jimu::LocalMinute;

namespace {

CronExpr cron(const std::string& text) {
  auto c = CronExpr::parse(text);
  REQUIRE(c);
  return *c;
}

std::string next(const std::string& expr, const LocalMinute& after) {
  auto n = cron(expr).next_after(after);
  return n ? n->to_string() : "never";
}

std::string parse_error(const std::string& text) {
  auto c = CronExpr::parse(text);
  return c ? "ok" : c.status().message();
}

const LocalMinute kMon{{2026, 11, 23}, 10, 30};  // Monday 2026-11-23 10:30

}  // namespace

TEST_CASE("cron: the next time strictly after a moment", "[cron]") {
  CHECK(next("0 2 * * *", kMon) == "2026-11-24 02:00");
  CHECK(next("30 10 * * *", kMon) == "2026-11-24 10:30");
  CHECK(next("31 10 * * *", kMon) == "2026-11-23 10:31");
  CHECK(next("*/15 * * * *", kMon) == "2026-11-23 10:45");
  CHECK(next("0 9-17/4 * * *", kMon) == "2026-11-23 13:00");
  CHECK(next("0 0 1 * *", kMon) == "2026-12-01 00:00");
  CHECK(next("0 0 1 1 *", kMon) == "2027-01-01 00:00");
  CHECK(next("59 23 31 12 *", kMon) == "2026-12-31 23:59");
}

TEST_CASE("cron: names of months and weekdays, and Sunday as 0 or 7", "[cron]") {
  CHECK(next("0 8 * * MON-FRI", LocalMinute{{2026, 11, 27}, 9, 0}) == "2026-11-30 08:00");  // Fri -> Mon
  CHECK(next("0 8 * * sun", kMon) == "2026-11-29 08:00");
  CHECK(next("0 8 * * 7", kMon) == "2026-11-29 08:00");
  CHECK(next("0 8 * * 0", kMon) == "2026-11-29 08:00");
  CHECK(next("0 0 1 APR,OCT *", kMon) == "2027-04-01 00:00");
}

TEST_CASE("cron: when both day fields are restricted either may match (Vixie cron)", "[cron]") {
  // The 1st of the month or any Friday.
  CHECK(next("0 0 1 * FRI", kMon) == "2026-11-27 00:00");
  CHECK(next("0 0 1 * FRI", LocalMinute{{2026, 11, 27}, 1, 0}) == "2026-12-01 00:00");
  // A starred day-of-week with a step restricts by AND.
  // 0,2,4,6: Sun, Tue, Thu, Sat. 2026-12-01 is a Tuesday; 2027-01-01 (Fri) is not, 2027-04-01 (Thu) is.
  CHECK(next("0 0 1 * */2", kMon) == "2026-12-01 00:00");
  CHECK(next("0 0 1 * */2", LocalMinute{{2026, 12, 1}, 0, 0}) == "2027-04-01 00:00");
}

TEST_CASE("cron: leap days and the shorthands", "[cron]") {
  CHECK(next("0 0 29 2 *", kMon) == "2028-02-29 00:00");
  CHECK(next("@daily", kMon) == "2026-11-24 00:00");
  CHECK(next("@hourly", kMon) == "2026-11-23 11:00");
  CHECK(next("@weekly", kMon) == "2026-11-29 00:00");
  CHECK(next("@monthly", kMon) == "2026-12-01 00:00");
  CHECK(next("@yearly", kMon) == "2027-01-01 00:00");
}

TEST_CASE("cron: mistakes are named by field", "[cron]") {
  CHECK(parse_error("0 25 * * *") == "cron '0 25 * * *': hour 25 is out of range 0-23");
  CHECK(parse_error("0 2 * *") ==
        "cron '0 2 * *': expected 5 fields (minute hour day-of-month month day-of-week), found 4");
  CHECK(parse_error("0 2 * FOO *") == "cron '0 2 * FOO *': 'FOO' is not a valid month");
  CHECK(parse_error("*/0 * * * *") == "cron '*/0 * * * *': minute step '0' must be a number from 1");
  CHECK(parse_error("0 5-2 * * *") == "cron '0 5-2 * * *': hour range 5-2 runs backwards");
  CHECK(parse_error("0 0 30 2 *") == "cron '0 0 30 2 *': that day never occurs in those months");
  CHECK(parse_error("@reboot") ==
        "cron '@reboot': unknown shorthand (use @yearly, @monthly, @weekly, @daily or @hourly)");
  CHECK(parse_error("0 0 0 * *") == "cron '0 0 0 * *': day of month 0 is out of range 1-31");
}

TEST_CASE("cron: local minutes and epoch milliseconds convert at +9:00", "[cron]") {
  LocalMinute t{{2027, 4, 1}, 0, 0};
  CHECK(t.to_epoch_ms() == 1806505200000);
  CHECK(LocalMinute::from_epoch_ms(1806505200000) == t);
  CHECK(LocalMinute::from_epoch_ms(1806505200000 - 1).to_string() == "2027-03-31 23:59");
}

// Schedule: when a scheduled workflow fires, given its cron expression, a business-day calendar
// and a holiday policy (DESIGN.md section 7). Pure functions of their inputs: no clock, no store.
//
// A cron match is a *nominal* time. On a day that is not a business day the policy decides:
// run (fire anyway), skip, next (fire at the same time on the next business day) or previous (on
// the previous business day). Moved fires that land on the same minute as another fire are
// merged. A business-day rule (the Nth, or the last, business day of the month) replaces the
// cron's day fields: the cron then gives only the times of day. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/scheduler/cron_expr.h"

namespace jimu {

enum class HolidayPolicy { kRun, kSkip, kNext, kPrevious };
std::optional<HolidayPolicy> parse_holiday_policy(const std::string& s);

// Whether a day is a business day, and the name of the day off when it is not ("土曜日",
// "元日", "年末年始"); supplied by the calendar.
struct BusinessDays {
  std::function<bool(const CivilDate&)> is_business_day;
  std::function<std::string(const CivilDate&)> day_off_name;  // may be empty
};

struct ScheduleSpec {
  CronExpr cron;
  HolidayPolicy on_holiday = HolidayPolicy::kRun;
  std::optional<int> business_day;  // 1..23: the Nth business day; -1: the last; -2: one before
};

// Parses the business_day rule: "1", "3", "last", "-1", "-2".
Result<std::optional<int>> parse_business_day_rule(const std::string& text);

struct Fire {
  LocalMinute at;       // when it runs
  LocalMinute nominal;  // the cron's time it stands for
  bool moved() const { return at != nominal; }
};

// What the preview shows for a nominal time: fired (maybe moved) or skipped, and why.
struct PlannedFire {
  LocalMinute nominal;
  std::optional<LocalMinute> at;  // nullopt: skipped
  std::string reason;             // "元日 (holiday): moved to the next business day"
};

// Every fire with from <= at < to, in order.
std::vector<Fire> fires_between(const ScheduleSpec& spec, const BusinessDays& days,
                                const LocalMinute& from, const LocalMinute& to);
// The first fire with at > after.
std::optional<Fire> next_fire(const ScheduleSpec& spec, const BusinessDays& days,
                              const LocalMinute& after);
// Every nominal time with from <= nominal < to and what happens to it.
std::vector<PlannedFire> plan_between(const ScheduleSpec& spec, const BusinessDays& days,
                                      const LocalMinute& from, const LocalMinute& to);

}  // namespace jimu

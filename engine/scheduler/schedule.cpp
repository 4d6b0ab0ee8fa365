#include "engine/scheduler/schedule.h"

#include <algorithm>

namespace jimu {
namespace {

constexpr int kHorizonDays = 366 * 5;
constexpr int kMaxGapDays = 40;  // longest run of days off we look across (year-end + holidays)

bool business(const BusinessDays& days, const CivilDate& d) { return days.is_business_day(d); }

std::string off_name(const BusinessDays& days, const CivilDate& d) {
  std::string name = days.day_off_name ? days.day_off_name(d) : "";
  return name.empty() ? "a day off" : name;
}

// The day a business-day rule picks in d's month, or nullopt (e.g. a 25th business day).
std::optional<CivilDate> rule_day(int rule, const BusinessDays& days, int year, int month) {
  std::vector<CivilDate> bds;
  for (int d = 1; d <= days_in_month(year, month); ++d) {
    CivilDate c{year, month, d};
    if (business(days, c)) bds.push_back(c);
  }
  if (rule > 0 && rule <= static_cast<int>(bds.size())) return bds[static_cast<size_t>(rule - 1)];
  if (rule < 0 && -rule <= static_cast<int>(bds.size())) return bds[bds.size() - static_cast<size_t>(-rule)];
  return std::nullopt;
}

// For a business day d under next/previous: the matching day (d itself or a day off in the gap
// next to it) whose nominal times move to d. nullopt when nothing fires on d.
std::optional<CivilDate> source_day(const ScheduleSpec& spec, const BusinessDays& days,
                                    const CivilDate& d) {
  if (!business(days, d)) return std::nullopt;
  if (spec.cron.matches_day(d)) return d;
  int step = spec.on_holiday == HolidayPolicy::kNext ? -1 : 1;
  CivilDate x = d.plus_days(step);
  for (int i = 0; i < kMaxGapDays && !business(days, x); ++i, x = x.plus_days(step)) {
    if (spec.cron.matches_day(x)) return x;
  }
  return std::nullopt;
}

// Whether anything fires on day d, and the nominal day it stands for.
std::optional<CivilDate> fire_day(const ScheduleSpec& spec, const BusinessDays& days,
                                  const CivilDate& d) {
  if (spec.business_day) {
    // The cron's month field still filters; its day fields are ignored under the rule.
    if (!spec.cron.matches_month(d.month)) return std::nullopt;
    auto target = rule_day(*spec.business_day, days, d.year, d.month);
    if (!target || *target != d) return std::nullopt;
    return d;
  }
  switch (spec.on_holiday) {
    case HolidayPolicy::kRun:
      return spec.cron.matches_day(d) ? std::optional<CivilDate>(d) : std::nullopt;
    case HolidayPolicy::kSkip:
      return spec.cron.matches_day(d) && business(days, d) ? std::optional<CivilDate>(d) : std::nullopt;
    case HolidayPolicy::kNext:
    case HolidayPolicy::kPrevious:
      return source_day(spec, days, d);
  }
  return std::nullopt;
}

}  // namespace

std::optional<HolidayPolicy> parse_holiday_policy(const std::string& s) {
  if (s == "run") return HolidayPolicy::kRun;
  if (s == "skip") return HolidayPolicy::kSkip;
  if (s == "next") return HolidayPolicy::kNext;
  if (s == "previous") return HolidayPolicy::kPrevious;
  return std::nullopt;
}

Result<std::optional<int>> parse_business_day_rule(const std::string& text) {
  if (text.empty()) return std::optional<int>();
  if (text == "last") return std::optional<int>(-1);
  try {
    size_t used = 0;
    int n = std::stoi(text, &used);
    if (used == text.size() && n != 0 && n >= -23 && n <= 23) return std::optional<int>(n);
  } catch (const std::exception&) {
  }
  return Status::parse("business_day '" + text + "' must be 1 to 23 (the Nth business day of the "
                       "month), 'last', or -1 to -23 (counting from the end)");
}

std::vector<Fire> fires_between(const ScheduleSpec& spec, const BusinessDays& days,
                                const LocalMinute& from, const LocalMinute& to) {
  std::vector<Fire> out;
  for (CivilDate d = from.date; d <= to.date; d = d.plus_days(1)) {
    auto source = fire_day(spec, days, d);
    if (!source) continue;
    spec.cron.for_each_time([&](int h, int m) {
      LocalMinute at{d, h, m};
      if (at < from || !(at < to)) return;
      out.push_back({at, LocalMinute{*source, h, m}});
    });
  }
  return out;
}

std::optional<Fire> next_fire(const ScheduleSpec& spec, const BusinessDays& days,
                              const LocalMinute& after) {
  CivilDate d = after.date;
  for (int i = 0; i < kHorizonDays; ++i, d = d.plus_days(1)) {
    auto source = fire_day(spec, days, d);
    if (!source) continue;
    std::optional<Fire> found;
    spec.cron.for_each_time([&](int h, int m) {
      LocalMinute at{d, h, m};
      if (!found && after < at) found = Fire{at, LocalMinute{*source, h, m}};
    });
    if (found) return found;
  }
  return std::nullopt;
}

std::vector<PlannedFire> plan_between(const ScheduleSpec& spec, const BusinessDays& days,
                                      const LocalMinute& from, const LocalMinute& to) {
  std::vector<PlannedFire> out;
  for (CivilDate d = from.date; d <= to.date; d = d.plus_days(1)) {
    if (spec.business_day) {
      auto f = fire_day(spec, days, d);
      if (!f) continue;
      spec.cron.for_each_time([&](int h, int m) {
        LocalMinute at{d, h, m};
        if (at < from || !(at < to)) return;
        out.push_back({at, at, ""});
      });
      continue;
    }
    if (!spec.cron.matches_day(d)) continue;
    bool bd = business(days, d);
    std::optional<CivilDate> moved_to;
    std::string reason;
    if (!bd && spec.on_holiday != HolidayPolicy::kRun) {
      std::string name = off_name(days, d);
      if (spec.on_holiday == HolidayPolicy::kSkip) {
        reason = name + ": skipped";
      } else {
        int step = spec.on_holiday == HolidayPolicy::kNext ? 1 : -1;
        CivilDate x = d.plus_days(step);
        for (int i = 0; i < kMaxGapDays && !business(days, x); ++i) x = x.plus_days(step);
        moved_to = x;
        reason = name + ": moved to " + x.iso();
      }
    } else if (!bd) {
      reason = off_name(days, d) + ": runs anyway";
    }
    spec.cron.for_each_time([&](int h, int m) {
      LocalMinute nominal{d, h, m};
      if (nominal < from || !(nominal < to)) return;
      PlannedFire p{nominal, std::nullopt, reason};
      if (bd || spec.on_holiday == HolidayPolicy::kRun) p.at = nominal;
      else if (moved_to) p.at = LocalMinute{*moved_to, h, m};
      out.push_back(p);
    });
  }
  return out;
}

}  // namespace jimu

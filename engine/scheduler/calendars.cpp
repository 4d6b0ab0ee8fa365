#include "engine/scheduler/calendars.h"

#include "engine/calendar/jp_holidays.h"

namespace jimu {
namespace {

const char* const kWeekdayJa[] = {"日", "月", "火", "水", "木", "金", "土"};

}  // namespace

ScheduleCalendars::ScheduleCalendars(const BusinessCalendar& office) {
  const BusinessCalendar* cal = &office;
  jp_gov_.is_business_day = [cal](const CivilDate& d) {
    auto open = cal->is_business_day(d);
    return open ? *open : d.weekday() != 0 && d.weekday() != 6;  // outside 1970-2099: weekdays
  };
  jp_gov_.day_off_name = [cal](const CivilDate& d) -> std::string {
    auto kind = cal->kind_of(d);
    if (!kind) return "";
    switch (*kind) {
      case DayKind::kOpen: return "";
      case DayKind::kHoliday: return jp_holiday_name(d).value_or("祝日");
      case DayKind::kClosure: return "年末年始の休日";
      case DayKind::kLocal: return "閉庁日";
      case DayKind::kWeekend: return std::string(kWeekdayJa[d.weekday()]) + "曜日";
    }
    return "";
  };
  weekdays_.is_business_day = [](const CivilDate& d) { return d.weekday() != 0 && d.weekday() != 6; };
  weekdays_.day_off_name = [](const CivilDate& d) { return std::string(kWeekdayJa[d.weekday()]) + "曜日"; };
  every_day_.is_business_day = [](const CivilDate&) { return true; };
}

const BusinessDays* ScheduleCalendars::find(const std::string& name) const {
  if (name == "jp-gov") return &jp_gov_;
  if (name == "weekdays") return &weekdays_;
  if (name == "every-day") return &every_day_;
  return nullptr;
}

}  // namespace jimu

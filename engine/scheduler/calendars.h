// ScheduleCalendars: the calendars a schedule may name, as the BusinessDays the scheduler reads.
// Borrows the office's BusinessCalendar, which must outlive it. Immutable; thread-safe.
#pragma once

#include <string>

#include "engine/calendar/business_calendar.h"
#include "engine/scheduler/dispatcher.h"
#include "engine/scheduler/schedule.h"

namespace jimu {

// The calendars a schedule may name: "jp-gov" (the office's calendar of jimu.conf: weekends,
// national holidays, the year-end closure, local closing days), "weekdays" (Monday to Friday,
// holidays ignored) and "every-day".
class ScheduleCalendars {
 public:
  explicit ScheduleCalendars(const BusinessCalendar& office);
  const BusinessDays* find(const std::string& name) const;
  CalendarLookup lookup() const {
    return [this](const std::string& name) { return find(name); };
  }
  static const char* names() { return "jp-gov, weekdays, every-day"; }

 private:
  BusinessDays jp_gov_, weekdays_, every_day_;
};

}  // namespace jimu

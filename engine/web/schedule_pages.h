// The schedules page of `jimu serve` (issue 8 over issue 6's scheduler): each schedule with when
// it fires, its next fire and last result, enable / disable / run now; and what the scheduler did
// since noon yesterday (ran, failed and why, skipped for a holiday, missed). Added to a WebApp
// through WebAppOptions::extensions. Changes go through the store (an audit entry each, the web
// user as the actor), then wake() tells the scheduler to look now.
#pragma once

#include <functional>

#include "engine/scheduler/calendars.h"
#include "engine/web/web_app.h"

namespace jimu::web {

struct SchedulePagesOptions {
  const ScheduleCalendars* calendars = nullptr;  // borrowed
  int utc_offset_minutes = 540;
  std::function<void()> wake;  // may be empty
};

void add_schedule_pages(WebApp& app, SchedulePagesOptions options);

}  // namespace jimu::web

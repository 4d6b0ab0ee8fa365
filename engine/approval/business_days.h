// Business-day arithmetic the approval router can use until engine/calendar's holiday calendar
// is wired in by cli/: weekends only (Saturday and Sunday are closed). Pure; thread-safe.
#pragma once

#include "engine/calendar/civil_date.h"

namespace jimu {

// The day n business days after from (n >= 0; n == 0 gives from itself), skipping weekends.
CivilDate add_weekdays(CivilDate from, int n);

}  // namespace jimu

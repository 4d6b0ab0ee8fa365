#include "engine/approval/business_days.h"

namespace jimu {

CivilDate add_weekdays(CivilDate from, int n) {
  CivilDate d = from;
  while (n > 0) {
    d = d.plus_days(1);
    int w = d.weekday();
    if (w != 0 && w != 6) --n;
  }
  return d;
}

}  // namespace jimu

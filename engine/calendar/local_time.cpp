#include "engine/calendar/local_time.h"

#include <cstdio>
#include <cstdlib>

#include "engine/calendar/civil_date.h"

namespace jimu {
namespace {

void split(int64_t ms, int offset, CivilDate* date, int* secs_of_day) {
  int64_t local = ms + static_cast<int64_t>(offset) * 60000;
  int64_t days = local / 86400000;
  if (local % 86400000 < 0) --days;
  *date = CivilDate::from_days(days);
  *secs_of_day = static_cast<int>((local - days * 86400000) / 1000);
}

}  // namespace

std::string format_local_time_iso(int64_t ms, int offset) {
  CivilDate d;
  int s = 0;
  split(ms, offset, &d, &s);
  char buf[48];
  int off = std::abs(offset);
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", d.iso().c_str(), s / 3600,
                s / 60 % 60, s % 60, offset < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::string format_local_time(int64_t ms, int offset) {
  CivilDate d;
  int s = 0;
  split(ms, offset, &d, &s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", d.iso().c_str(), s / 3600, s / 60 % 60,
                s % 60);
  return buf;
}

std::string format_duration_ms(int64_t ms) {
  char buf[32];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>(ms));
  } else if (ms < 60000) {
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000);
  } else {
    long long s = ms / 1000;
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  }
  return buf;
}

}  // namespace jimu

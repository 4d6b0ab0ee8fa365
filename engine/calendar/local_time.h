// Local wall-clock text for instants stored as UTC milliseconds. Japan (UTC+9, no daylight
// saving) unless an offset is given. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace jimu {

// "2026-11-23T20:15:03+09:00"
std::string format_local_time_iso(int64_t ms, int utc_offset_minutes = 540);
// "2026-11-23 20:15:03"
std::string format_local_time(int64_t ms, int utc_offset_minutes = 540);
// "1:02:03", "4.2 s", "850 ms": a duration for people.
std::string format_duration_ms(int64_t ms);

}  // namespace jimu

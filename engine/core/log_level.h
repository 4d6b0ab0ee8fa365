// LogLevel: the levels of a run's log lines (jimu.log.info/warn/error).
#pragma once

namespace jimu {

enum class LogLevel { kInfo, kWarn, kError };

inline const char* log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

}  // namespace jimu

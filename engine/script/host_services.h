// HostServices: what the engine lends to Lua bindings during a run, without the bindings knowing
// the engine. A connector reaches them through jimu::lua::services(L) (binding.h).
//
// Everything here is borrowed: the runner owns it and keeps it alive for the whole run.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/log_level.h"
#include "engine/script/file_access.h"

namespace jimu {

// Receives jimu.log.* lines. Called on the run's thread.
class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void write(LogLevel level, std::string_view message) = 0;
};

struct HostServices {
  const FileAccess* files = nullptr;  // never null during a run
  LogSink* log = nullptr;             // never null during a run
  bool dry_run = false;               // connectors with external effects must not act on it
  // The run's output folder (a write root), where connectors put what a run produces on its own:
  // the .eml files of a dry run's mails, received attachments. Empty outside a run.
  std::string out_dir;
  std::string temp_dir;               // scratch space for the run (removed after it); may be empty
};

}  // namespace jimu

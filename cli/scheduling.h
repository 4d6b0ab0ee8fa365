// What `jimu schedule`, `jimu serve` and `jimu runs --last-night` share: the [serve] settings, the
// calendars schedules may name, and how a command finds (and wakes) the daemon of a home.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "cli/app.h"
#include "engine/scheduler/calendars.h"
#include "engine/scheduler/dispatcher.h"

namespace jimu::cli {

struct ServeSettings {
  int max_runs = 4;
  double grace_s = 300;
  double lease_s = 30;
  double poll_s = 30;
  std::string mail_account;  // "" : owners are not mailed
  int utc_offset_minutes = 540;
  std::string node;          // this daemon's id: [serve] node, else the host name
};
Result<ServeSettings> serve_settings(const App& app);

// The daemon's lock file: HOME/serve.lock, held (flock) by the running `jimu serve`, with its pid.
std::string serve_lock_path(const std::string& home);
// The pid of the `jimu serve` holding the home's lock, if one does.
std::optional<pid_t> running_daemon(const std::string& home);
// Asks the daemon (if any) to look at the store now. Returns whether one was told.
bool wake_daemon(const std::string& home);

// "2026-11-24 (火) 02:00"
std::string local_minute_label(const LocalMinute& m);

using Calendars = ScheduleCalendars;

}  // namespace jimu::cli

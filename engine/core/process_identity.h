// ProcessIdentity: names a process so that another process, later, can tell whether it still
// lives. A bare pid is not enough (pids are reused, and a reboot kills everything), so the identity
// is "HOST/BOOT_ID/PID/START_TICKS" read from /proc. The store records it on every running run;
// when jimu opens the store, a run whose process on this host is gone is marked interrupted.
// Thread-safe: pure functions over /proc.
#pragma once

#include <string>

namespace jimu {

struct ProcessIdentity {
  std::string host;
  std::string boot_id;
  long pid = 0;
  unsigned long long start_ticks = 0;

  std::string to_string() const;
  static bool parse(const std::string& text, ProcessIdentity* out);
  // The identity of the calling process.
  static ProcessIdentity self();
  // The identity of process pid as it is now; pid 0 or a missing process gives start_ticks 0.
  static ProcessIdentity of_pid(long pid);
};

// True when the process named by id is on this host and still running (same boot, same pid,
// same start time). A process of another host is reported alive: this host cannot tell.
bool process_is_alive(const ProcessIdentity& id);

// The host name of this machine.
std::string host_name();

}  // namespace jimu

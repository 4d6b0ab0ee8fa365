#include "engine/core/process_identity.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace jimu {
namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

unsigned long long start_ticks_of(long pid) {
  // Field 22 of /proc/PID/stat; field 2 (comm) may contain spaces, so count from its ')'.
  std::string stat = read_first_line("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(rest >> field)) return 0;
  }
  return std::stoull(field);
}

const std::string& current_boot_id() {
  static const std::string id = read_first_line("/proc/sys/kernel/random/boot_id");
  return id;
}

}  // namespace

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

std::string ProcessIdentity::to_string() const {
  return host + "/" + boot_id + "/" + std::to_string(pid) + "/" + std::to_string(start_ticks);
}

bool ProcessIdentity::parse(const std::string& text, ProcessIdentity* out) {
  std::istringstream in(text);
  std::string pid, ticks;
  if (!std::getline(in, out->host, '/') || !std::getline(in, out->boot_id, '/') ||
      !std::getline(in, pid, '/') || !std::getline(in, ticks)) {
    return false;
  }
  try {
    out->pid = std::stol(pid);
    out->start_ticks = std::stoull(ticks);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

ProcessIdentity ProcessIdentity::self() { return of_pid(getpid()); }

ProcessIdentity ProcessIdentity::of_pid(long pid) {
  ProcessIdentity id;
  id.host = host_name();
  id.boot_id = current_boot_id();
  id.pid = pid;
  id.start_ticks = pid > 0 ? start_ticks_of(pid) : 0;
  return id;
}

bool process_is_alive(const ProcessIdentity& id) {
  if (id.host != host_name()) return true;
  if (id.boot_id != current_boot_id()) return false;
  unsigned long long now = start_ticks_of(id.pid);
  return now != 0 && now == id.start_ticks;
}

}  // namespace jimu

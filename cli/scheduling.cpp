#include "cli/scheduling.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "engine/core/process_identity.h"
#include "engine/script/workflow_def.h"

namespace jimu::cli {
namespace {

const char* const kWeekdayJa[] = {"日", "月", "火", "水", "木", "金", "土"};

std::string where(const Config& c, const std::string& key) {
  return c.path + ":" + std::to_string(c.lines.count(key) ? c.lines.at(key) : 0) + ": ";
}

}  // namespace

Result<ServeSettings> serve_settings(const App& app) {
  const Config& c = app.config;
  ServeSettings s;
  std::string runs = c.get("serve.max_runs", "4");
  char* end = nullptr;
  long n = std::strtol(runs.c_str(), &end, 10);
  if (runs.empty() || *end != '\0' || n < 1 || n > 256) {
    return Status::parse(where(c, "serve.max_runs") + "max_runs must be a number from 1 to 256, not '" +
                         runs + "'");
  }
  s.max_runs = static_cast<int>(n);
  for (auto [key, target, fallback] :
       {std::tuple{"serve.grace", &s.grace_s, "5m"}, std::tuple{"serve.lease", &s.lease_s, "30s"},
        std::tuple{"serve.poll", &s.poll_s, "30s"}}) {
    std::string v = c.get(key, fallback);
    auto secs = parse_duration_seconds(v);
    if (!secs || *secs <= 0) {
      return Status::parse(where(c, key) + "expected a duration like 30s, 5m or 1h, not '" + v + "'");
    }
    *target = *secs;
  }
  if (s.lease_s < 2) return Status::parse(where(c, "serve.lease") + "lease must be at least 2s");
  s.mail_account = c.get("serve.mail_account");
  std::string tz = c.get("serve.timezone", "Asia/Tokyo");
  if (tz == "Asia/Tokyo" || tz == "JST") {
    s.utc_offset_minutes = 540;
  } else if (tz == "UTC") {
    s.utc_offset_minutes = 0;
  } else {
    int h = 0, m = 0;
    char sign = 0;
    if (std::sscanf(tz.c_str(), "UTC%c%d:%d", &sign, &h, &m) == 3 && (sign == '+' || sign == '-') &&
        h <= 14 && m < 60 && tz.size() == 9) {
      s.utc_offset_minutes = (sign == '-' ? -1 : 1) * (h * 60 + m);
    } else {
      return Status::parse(where(c, "serve.timezone") + "timezone must be Asia/Tokyo, UTC or "
                           "UTC+HH:MM, not '" + tz + "'");
    }
  }
  // Stable across restarts (a restarted daemon adopts its own jobs) and distinct for several homes
  // on one host sharing PostgreSQL.
  s.node = c.get("serve.node", host_name() + ":" + app.home);
  return s;
}

std::string serve_lock_path(const std::string& home) { return home + "/serve.lock"; }

std::optional<pid_t> running_daemon(const std::string& home) {
  int fd = ::open(serve_lock_path(home).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<pid_t> pid;
  if (flock(fd, LOCK_SH | LOCK_NB) != 0) {  // held: a daemon runs
    char buf[32] = {};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n > 0) pid = static_cast<pid_t>(std::atol(buf));
  } else {
    flock(fd, LOCK_UN);
  }
  ::close(fd);
  return pid;
}

bool wake_daemon(const std::string& home) {
  auto pid = running_daemon(home);
  return pid && *pid > 0 && kill(*pid, SIGHUP) == 0;
}

std::string local_minute_label(const LocalMinute& m) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s (%s) %02d:%02d", m.date.iso().c_str(),
                kWeekdayJa[m.date.weekday()], m.hour, m.minute);
  return buf;
}

}  // namespace jimu::cli

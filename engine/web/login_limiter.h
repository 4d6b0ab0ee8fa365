// LoginLimiter: counts failed logins per user name and per client address in a sliding window,
// so that guessing passwords is slow for one account and for one machine trying many accounts.
// A key over its limit is refused until its oldest failure leaves the window; a successful login
// clears its user's count (not the address's). Memory is bounded: keys are dropped once their
// failures age out. Thread-safe (one mutex).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace jimu::web {

struct LoginLimits {
  int per_user = 5;             // failures of one user name within the window
  int per_address = 20;         // failures from one address within the window
  int64_t window_ms = 15 * 60 * 1000;
};

class LoginLimiter {
 public:
  explicit LoginLimiter(LoginLimits limits) : limits_(limits) {}

  // Whether an attempt for user from address may proceed now; when not, *retry_after_s tells
  // how long until it may.
  bool allowed(const std::string& user, const std::string& address, int64_t now_ms,
               int64_t* retry_after_s);
  void record_failure(const std::string& user, const std::string& address, int64_t now_ms);
  void record_success(const std::string& user);

 private:
  using Failures = std::map<std::string, std::deque<int64_t>>;
  void prune(Failures& f, const std::string& key, int64_t now_ms);
  int64_t wait_ms(Failures& f, const std::string& key, int limit, int64_t now_ms);

  LoginLimits limits_;
  std::mutex mutex_;
  Failures by_user_;
  Failures by_address_;
};

}  // namespace jimu::web

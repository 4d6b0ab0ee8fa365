#include "engine/web/login_limiter.h"

#include <algorithm>

namespace jimu::web {

void LoginLimiter::prune(Failures& f, const std::string& key, int64_t now_ms) {
  auto it = f.find(key);
  if (it == f.end()) return;
  while (!it->second.empty() && it->second.front() <= now_ms - limits_.window_ms) {
    it->second.pop_front();
  }
  if (it->second.empty()) f.erase(it);
}

int64_t LoginLimiter::wait_ms(Failures& f, const std::string& key, int limit, int64_t now_ms) {
  prune(f, key, now_ms);
  auto it = f.find(key);
  if (it == f.end() || static_cast<int>(it->second.size()) < limit) return 0;
  // Allowed again once enough failures have aged out to be under the limit.
  size_t index = it->second.size() - static_cast<size_t>(limit);
  return it->second[index] + limits_.window_ms - now_ms;
}

bool LoginLimiter::allowed(const std::string& user, const std::string& address, int64_t now_ms,
                           int64_t* retry_after_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t wait = std::max(wait_ms(by_user_, user, limits_.per_user, now_ms),
                          wait_ms(by_address_, address, limits_.per_address, now_ms));
  if (retry_after_s != nullptr) *retry_after_s = (wait + 999) / 1000;
  return wait <= 0;
}

void LoginLimiter::record_failure(const std::string& user, const std::string& address,
                                  int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  by_user_[user].push_back(now_ms);
  by_address_[address].push_back(now_ms);
  // Bound the memory an attacker can make us spend on made-up names.
  if (by_user_.size() > 100000) {
    for (auto it = by_user_.begin(); it != by_user_.end();) {
      auto next = std::next(it);
      prune(by_user_, it->first, now_ms);
      it = next;
    }
  }
}

void LoginLimiter::record_success(const std::string& user) {
  std::lock_guard<std::mutex> lock(mutex_);
  by_user_.erase(user);
}

}  // namespace jimu::web

// Clock: the one way jimu reads the time, so that tests can substitute a clock they advance.
//
// now_ms() is wall-clock time in milliseconds since the Unix epoch (UTC); it is what the store
// records. monotonic_ns() measures durations and deadlines. SystemClock is thread-safe; FakeClock
// is thread-safe too (atomics), and its monotonic time moves with its wall time.
#pragma once

#include <atomic>
#include <cstdint>

namespace jimu {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;
  virtual int64_t monotonic_ns() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
  int64_t monotonic_ns() const override;
  // A process-wide instance; lives for the whole program.
  static SystemClock& instance();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms) : now_ms_(start_ms) {}
  int64_t now_ms() const override { return now_ms_.load(); }
  int64_t monotonic_ns() const override { return now_ms_.load() * 1000000; }
  void set_ms(int64_t ms) { now_ms_.store(ms); }
  void advance_ms(int64_t ms) { now_ms_.fetch_add(ms); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace jimu

// Dispatcher: the scheduler's decisions over the store (DESIGN.md section 7), without processes:
// which cron fires are due and become jobs (with holidays skipped or moved, and what to do with
// fires missed while no daemon ran), which queued jobs this node may start now (limits), what a
// finished attempt means (done, retry later with backoff, or give up and tell the owner), and
// which running jobs lost their node (lease expired).
//
// Every decision that must hold across daemons is made in the store: a fire becomes a job once
// (unique key), a job is claimed by one node, limits are counted in the claiming transaction. The
// cache of schedules here only saves work: reload() after any change. Reads time from the Clock
// only, so whole years run in tests with a FakeClock. Not thread-safe: the daemon's loop owns it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/scheduler/schedule.h"
#include "engine/store/store.h"

namespace jimu {

struct DispatcherOptions {
  std::string node;                 // this daemon's id in the store
  int global_limit = 4;             // runs at once across all nodes
  int64_t lease_ms = 30000;         // a running job whose heartbeat is older was lost
  int utc_offset_minutes = 540;     // schedules' local time (Asia/Tokyo)
  int64_t late_after_ms = 60000;    // a fire found later than this was missed (no daemon ran)
  int max_catch_up_days = 31;       // fires older than this after downtime are not looked at
};

// The calendars schedules name ("jp-gov", ...): nullptr for an unknown name.
using CalendarLookup = std::function<const BusinessDays*(const std::string& name)>;

// What a finished attempt leads to.
struct Settlement {
  JobState state = JobState::kSucceeded;  // queued: retry at next_at
  int64_t next_at = 0;
  std::string reason;
  bool notify_owner = false;  // the final failure of a job: mail the owner
};

class Dispatcher {
 public:
  Dispatcher(Store& store, const Clock& clock, CalendarLookup calendars, DispatcherOptions options);

  // Reads the schedules again and works out each enabled cron schedule's next fire. A schedule
  // that cannot be understood (its cron or calendar) is left out and named in problems().
  Status reload();
  // reload() when the store's schedules changed since the last one (cheap otherwise); true when
  // it did.
  Result<bool> refresh();
  const std::vector<std::string>& problems() const { return problems_; }
  const std::vector<ScheduleRecord>& schedules() const { return schedules_; }

  // Turns the cron fires due by now into jobs. Returns how many jobs were added.
  Result<int> enqueue_due();
  // Claims up to max ready jobs for this node.
  Result<std::vector<JobRecord>> claim(int max);
  // Decides what an ended attempt means. run: its run record, if the attempt got as far as
  // starting one; otherwise why not (no_run_reason) and whether retrying could help.
  Settlement decide(const JobRecord& job, const std::optional<RunRecord>& run,
                    const std::string& no_run_reason, bool retry_may_help) const;
  // decide() and record it in the store.
  Result<Settlement> settle(const JobRecord& job, const std::optional<RunRecord>& run,
                            const std::string& no_run_reason, bool retry_may_help);
  // Running jobs whose heartbeat is older than the lease (their node died, or this node in an
  // earlier life). The caller interrupts their runs if still running and settles them.
  Result<std::vector<JobRecord>> stale_jobs();

  // When the next cron fire of any schedule is due (ms), or nullopt.
  std::optional<int64_t> next_fire_ms() const;

  // The fire times of a schedule as the scheduler sees them (also for `jimu schedule next`).
  static Result<ScheduleSpec> spec_of(const ScheduleRecord& s);

 private:
  struct Cached {
    ScheduleSpec spec;
    const BusinessDays* days = nullptr;
    std::optional<int64_t> next_ms;  // the next fire after checked_through
  };
  std::optional<int64_t> next_after(const Cached& c, int64_t after_ms) const;
  std::string local_time_text(int64_t ms) const;  // "2026-11-24 02:01:30"
  std::vector<JobRecord> jobs_for(const ScheduleRecord& s, const Cached& c, int64_t now) const;

  Store& store_;
  const Clock& clock_;
  CalendarLookup calendars_;
  DispatcherOptions options_;
  std::vector<ScheduleRecord> schedules_;
  std::map<std::string, Cached> cache_;  // by schedule id: enabled cron schedules
  std::vector<std::string> problems_;
  std::string stamp_;  // schedules_stamp() at the last reload
};

}  // namespace jimu

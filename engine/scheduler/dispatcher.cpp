#include "engine/scheduler/dispatcher.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace jimu {
namespace {

int64_t minute_floor(int64_t ms) { return ms >= 0 ? ms / 60000 : (ms - 59999) / 60000; }

std::string hhmm(const LocalMinute& m) { return m.to_string(); }


}  // namespace

std::string Dispatcher::local_time_text(int64_t ms) const {
  LocalMinute m = LocalMinute::from_epoch_ms(ms, options_.utc_offset_minutes);
  int64_t local_ms = ms + int64_t{options_.utc_offset_minutes} * 60000;
  int64_t sec = ((local_ms % 60000) + 60000) % 60000 / 1000;
  char buf[8];
  std::snprintf(buf, sizeof buf, ":%02d", static_cast<int>(sec));
  return m.to_string() + buf;
}

Dispatcher::Dispatcher(Store& store, const Clock& clock, CalendarLookup calendars,
                       DispatcherOptions options)
    : store_(store), clock_(clock), calendars_(std::move(calendars)), options_(std::move(options)) {}

Result<ScheduleSpec> Dispatcher::spec_of(const ScheduleRecord& s) {
  auto cron = CronExpr::parse(s.cron);
  if (!cron) return Status::invalid("schedule " + s.id + ": " + cron.status().message());
  auto policy = parse_holiday_policy(s.on_holiday);
  if (!policy) {
    return Status::invalid("schedule " + s.id + ": on_holiday '" + s.on_holiday +
                           "' is not run, skip, next or previous");
  }
  auto rule = parse_business_day_rule(s.business_day);
  if (!rule) return Status::invalid("schedule " + s.id + ": " + rule.status().message());
  return ScheduleSpec{*cron, *policy, *rule};
}

Result<bool> Dispatcher::refresh() {
  auto stamp = store_.schedules_stamp();
  if (!stamp) return stamp.status();
  if (*stamp == stamp_) return false;
  if (Status s = reload(); !s) return s;
  return true;
}

Status Dispatcher::reload() {
  auto stamp = store_.schedules_stamp();
  if (!stamp) return stamp.status();
  stamp_ = *stamp;
  auto all = store_.schedules();
  if (!all) return all.status();
  schedules_ = std::move(all).value();
  cache_.clear();
  problems_.clear();
  for (const ScheduleRecord& s : schedules_) {
    if (!s.enabled || s.kind != "cron") continue;
    auto spec = spec_of(s);
    if (!spec) {
      problems_.push_back(spec.status().message());
      continue;
    }
    const BusinessDays* days = calendars_(s.calendar);
    if (!days) {
      problems_.push_back("schedule " + s.id + ": unknown calendar '" + s.calendar + "'");
      continue;
    }
    Cached c{*spec, days, std::nullopt};
    c.next_ms = next_after(c, s.checked_through);
    cache_.emplace(s.id, std::move(c));
  }
  return Status::ok();
}

std::optional<int64_t> Dispatcher::next_after(const Cached& c, int64_t after_ms) const {
  // Fires at or before after_ms are done; the next is strictly after it, to the minute.
  LocalMinute after = LocalMinute::from_epoch_ms(after_ms, options_.utc_offset_minutes);
  auto f = next_fire(c.spec, *c.days, after);
  if (!f) return std::nullopt;
  return f->at.to_epoch_ms(options_.utc_offset_minutes);
}

std::optional<int64_t> Dispatcher::next_fire_ms() const {
  std::optional<int64_t> best;
  for (const auto& [id, c] : cache_) {
    if (c.next_ms && (!best || *c.next_ms < *best)) best = c.next_ms;
  }
  return best;
}

std::vector<JobRecord> Dispatcher::jobs_for(const ScheduleRecord& s, const Cached& c,
                                            int64_t now) const {
  const int off = options_.utc_offset_minutes;
  int64_t from_ms = s.checked_through;
  const int64_t oldest = now - int64_t{options_.max_catch_up_days} * 86400000;
  if (from_ms < oldest) from_ms = oldest;
  // Whole local minutes: (from, now] in minutes is [from + 1, now + 1).
  LocalMinute from = LocalMinute::from_index(minute_floor(from_ms + int64_t{off} * 60000) + 1);
  LocalMinute to = LocalMinute::from_index(minute_floor(now + int64_t{off} * 60000) + 1);
  if (!(from < to)) return {};

  JobRecord base;
  base.schedule_id = s.id;
  base.workflow_id = s.workflow_id;
  base.workflow_path = s.workflow_path;
  base.trigger = "schedule";
  base.params_json = s.params_json;
  base.actor = "scheduler";
  base.created_at = now;

  std::vector<JobRecord> out;
  // Fires by the time they run; late ones are those a running daemon would have started already.
  std::vector<Fire> fires = fires_between(c.spec, *c.days, from, to);
  size_t late = 0;
  for (const Fire& f : fires) {
    if (f.at.to_epoch_ms(off) < now - options_.late_after_ms) ++late;
  }
  for (size_t i = 0; i < fires.size(); ++i) {
    const Fire& f = fires[i];
    JobRecord j = base;
    j.fire_key = hhmm(f.at);
    j.nominal = hhmm(f.nominal);
    j.due_at = f.at.to_epoch_ms(off);
    j.next_at = j.due_at;
    if (f.moved()) {
      std::string name = c.days->day_off_name ? c.days->day_off_name(f.nominal.date) : "";
      j.reason = (name.empty() ? "a day off" : name) + ": moved from " + hhmm(f.nominal);
    }
    if (i < late) {
      const std::string when = "no jimu serve was running at " + hhmm(f.at);
      const bool run_it = s.missed == "all" || (s.missed == "latest" && i + 1 == fires.size());
      if (run_it) {
        j.reason = (j.reason.empty() ? "" : j.reason + "; ") + "late: " + when;
      } else {
        j.state = JobState::kMissed;
        j.reason = "missed: " + when + (s.missed == "latest" ? " (missed = latest: only the latest fire runs)"
                                                            : " (missed = none)");
      }
    }
    out.push_back(std::move(j));
  }
  // Nominal times a holiday skipped, so that "what did not run, and why" has an answer.
  if (!c.spec.business_day && c.spec.on_holiday == HolidayPolicy::kSkip) {
    for (const PlannedFire& p : plan_between(c.spec, *c.days, from, to)) {
      if (p.at) continue;
      JobRecord j = base;
      j.fire_key = "skip " + hhmm(p.nominal);
      j.nominal = hhmm(p.nominal);
      j.due_at = p.nominal.to_epoch_ms(off);
      j.next_at = j.due_at;
      j.state = JobState::kSkipped;
      j.reason = p.reason;
      out.push_back(std::move(j));
    }
  }
  return out;
}

Result<int> Dispatcher::enqueue_due() {
  const int64_t now = clock_.now_ms();
  int added = 0;
  bool changed_elsewhere = false;
  for (ScheduleRecord& s : schedules_) {
    auto it = cache_.find(s.id);
    if (it == cache_.end() || !it->second.next_ms || *it->second.next_ms > now) continue;
    std::vector<JobRecord> jobs = jobs_for(s, it->second, now);
    auto n = store_.jobs_enqueue(s.id, s.checked_through, now, jobs);
    if (!n) return n.status();
    if (*n < 0) {
      changed_elsewhere = true;  // another daemon (or a clerk) moved it on: read it again
      continue;
    }
    added += *n;
    s.checked_through = now;
    it->second.next_ms = next_after(it->second, now);
  }
  if (changed_elsewhere) {
    if (Status st = reload(); !st) return st;
  }
  return added;
}

Result<std::vector<JobRecord>> Dispatcher::claim(int max) {
  return store_.jobs_claim(options_.node, clock_.now_ms(), options_.global_limit, max);
}

Settlement Dispatcher::decide(const JobRecord& job, const std::optional<RunRecord>& run,
                              const std::string& no_run_reason, bool retry_may_help) const {
  Settlement out;
  if (run && run->status == RunStatus::kSucceeded) {
    out.state = JobState::kSucceeded;
    out.reason = job.attempt > 1 ? "succeeded on attempt " + std::to_string(job.attempt) : "";
    return out;
  }
  std::string what;
  if (run && run->status == RunStatus::kRunning) {
    what = "run " + std::to_string(run->id) + " did not finish";
  } else if (run) {
    what = "run " + std::to_string(run->id) + " " + run_status_name(run->status) +
           (run->error.empty() ? "" : ": " + run->error);
  } else {
    what = no_run_reason;
  }
  int attempts = 1;
  double backoff_s = 60;
  for (const ScheduleRecord& s : schedules_) {
    if (s.id == job.schedule_id) {
      attempts = 1 + s.retry_attempts;
      backoff_s = s.retry_backoff_s;
    }
  }
  if ((run || retry_may_help) && job.attempt < attempts) {
    const int64_t delay = static_cast<int64_t>(backoff_s * 1000 * std::pow(2.0, job.attempt - 1));
    out.state = JobState::kQueued;
    out.next_at = clock_.now_ms() + delay;
    out.reason = "attempt " + std::to_string(job.attempt) + " of " + std::to_string(attempts) +
                 ": " + what + "; next attempt at " + local_time_text(out.next_at);
    return out;
  }
  out.state = run && run->status == RunStatus::kInterrupted ? JobState::kInterrupted : JobState::kFailed;
  out.reason = (attempts > 1 ? "gave up after " + std::to_string(job.attempt) + " attempts: " : "") + what;
  out.notify_owner = true;
  return out;
}

Result<Settlement> Dispatcher::settle(const JobRecord& job, const std::optional<RunRecord>& run,
                                      const std::string& no_run_reason, bool retry_may_help) {
  Settlement s = decide(job, run, no_run_reason, retry_may_help);
  Status st = store_.job_settle(job.id, job.attempt, s.state, s.next_at, s.reason, clock_.now_ms());
  if (!st) return st;
  return s;
}

Result<std::vector<JobRecord>> Dispatcher::stale_jobs() {
  JobFilter f;
  f.states = {JobState::kRunning};
  f.limit = 10000;
  auto running = store_.jobs(f);
  if (!running) return running.status();
  std::vector<JobRecord> out;
  const int64_t cutoff = clock_.now_ms() - options_.lease_ms;
  for (JobRecord& j : *running) {
    if (j.heartbeat_at < cutoff) out.push_back(std::move(j));
  }
  return out;
}

}  // namespace jimu

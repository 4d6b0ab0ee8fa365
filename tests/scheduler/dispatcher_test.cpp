// The dispatcher against a real store (SQLite and PostgreSQL: each test runs on both), the real
// office calendar and a fake clock: whole years of schedules, missed runs after downtime,
// retries, overlap and two daemons on one store.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "engine/calendar/business_calendar.h"
#include "engine/scheduler/calendars.h"
#include "engine/scheduler/dispatcher.h"
#include "tests/support/store_backend.h"

using namespace jimu;
using jimu::testing::TestStore;

namespace {

int64_t jst(int y, int mo, int d, int h = 0, int mi = 0) {
  return LocalMinute{CivilDate{y, mo, d}, h, mi}.to_epoch_ms(540);
}

struct Fixture {
  explicit Fixture(const std::string& backend) : ts(backend) {}
  TestStore ts;
  std::unique_ptr<Store> store = ts.open();
  FakeClock clock{jst(2026, 4, 1)};
  BusinessCalendar office;
  ScheduleCalendars calendars{office};

  std::unique_ptr<Dispatcher> dispatcher(const std::string& node = "a", int limit = 4) {
    DispatcherOptions o;
    o.node = node;
    o.global_limit = limit;
    return std::make_unique<Dispatcher>(*store, clock, calendars.lookup(), o);
  }

  ScheduleRecord add(const std::string& id, const std::string& cron, const std::string& on_holiday = "run",
                     const std::string& business_day = "", const std::string& missed = "latest") {
    ScheduleRecord s;
    s.id = id;
    s.workflow_id = "wf-" + id;
    s.workflow_path = "/srv/" + id + ".lua";
    s.cron = cron;
    s.on_holiday = on_holiday;
    s.business_day = business_day;
    s.missed = missed;
    REQUIRE(store->schedule_put(s, true, "tanaka", clock.now_ms()));
    return s;
  }

  // Runs the scheduler's clock forward to `until`, waking at every fire as the daemon does.
  void run_until(Dispatcher& d, int64_t until) {
    REQUIRE(d.reload());
    for (;;) {
      auto next = d.next_fire_ms();
      if (!next || *next > until) break;
      clock.set_ms(*next);
      REQUIRE(d.enqueue_due());
    }
    clock.set_ms(until);
  }

  std::vector<JobRecord> jobs(const std::string& schedule) {
    JobFilter f;
    f.schedule_id = schedule;
    f.limit = 100000;
    auto j = store->jobs(f);
    REQUIRE(j);
    std::reverse(j->begin(), j->end());
    return *j;
  }

  std::vector<std::string> fired(const std::string& schedule, JobState state = JobState::kQueued) {
    std::vector<std::string> out;
    for (const auto& j : jobs(schedule)) {
      if (j.state == state) out.push_back(j.fire_key + (j.reason.empty() ? "" : " | " + j.reason));
    }
    return out;
  }

  int64_t run_for(const JobRecord& j, RunStatus status, const std::string& error = "") {
    RunStart s;
    s.workflow_id = j.workflow_id;
    s.workflow_name = j.workflow_id;
    s.workflow_path = j.workflow_path;
    s.trigger = j.trigger;
    s.actor = "scheduler";
    s.owner = "h/b/1/1";
    s.started_at = clock.now_ms();
    s.job_id = j.id;
    auto id = store->begin_run(s);
    REQUIRE(id);
    REQUIRE(store->finish_run(*id, status, 0, clock.now_ms(), error, "", {}));
    return *id;
  }

  RunRecord run(int64_t id) {
    auto r = store->get_run(id);
    REQUIRE(r);
    return *r;
  }
};

}  // namespace

TEST_CASE("dispatcher: a fiscal year of business nights fires on each business day once, in Tokyo time",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.add("nightly", "0 2 * * *", "skip");
  auto d = f.dispatcher();
  f.run_until(*d, jst(2027, 4, 1));
  auto jobs = f.jobs("nightly");
  int fired = 0, skipped = 0;
  for (const auto& j : jobs) {
    auto day = CivilDate::from_epoch_ms(j.due_at, 540);
    if (j.state == JobState::kQueued) {
      ++fired;
      CHECK(*f.office.is_business_day(day));
      // 02:00 in Tokyo is 17:00 UTC the day before, all year: no daylight saving.
      CHECK((j.due_at / 1000) % 86400 == 17 * 3600);
    } else {
      ++skipped;
      CHECK(j.state == JobState::kSkipped);
      CHECK_FALSE(*f.office.is_business_day(day));
    }
  }
  auto business = f.office.business_days_between(CivilDate{2026, 3, 31}, CivilDate{2027, 3, 31});
  REQUIRE(business);
  CHECK(fired == *business);
  CHECK(fired + skipped == 365);
  // Golden Week 2026: 5/3 (Sun) 憲法記念日, 5/4, 5/5 and 5/6 振替休日.
  auto skipped_list = f.fired("nightly", JobState::kSkipped);
  CHECK(std::count(skipped_list.begin(), skipped_list.end(),
                   "skip 2026-05-06 02:00 | 振替休日: skipped") == 1);
  CHECK(std::count(skipped_list.begin(), skipped_list.end(),
                   "skip 2026-12-29 02:00 | 年末年始の休日: skipped") == 1);
  CHECK(std::count(skipped_list.begin(), skipped_list.end(),
                   "skip 2027-01-01 02:00 | 元日: skipped") == 1);
  auto queued = f.fired("nightly");
  CHECK(std::count(queued.begin(), queued.end(), "2026-12-28 02:00") == 1);
  CHECK(std::count(queued.begin(), queued.end(), "2027-01-04 02:00") == 1);
  CHECK(std::count(queued.begin(), queued.end(), "2026-05-07 02:00") == 1);
}

TEST_CASE("dispatcher: next moves Golden Week's nights to the first business day after, as one run",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.clock.set_ms(jst(2026, 4, 30, 12));
  f.add("gw", "0 2 * * *", "next");
  f.add("may4", "0 2 4 5 *", "next");
  auto d = f.dispatcher();
  f.run_until(*d, jst(2026, 5, 8, 12));
  // Saturday to Wednesday all land on Thursday 02:00, itself a fire: one run there.
  CHECK(f.fired("gw") == std::vector<std::string>{"2026-05-01 02:00", "2026-05-07 02:00",
                                                   "2026-05-08 02:00"});
  CHECK(f.fired("may4") ==
        std::vector<std::string>{"2026-05-07 02:00 | みどりの日: moved from 2026-05-04 02:00"});
}

TEST_CASE("dispatcher: previous moves New Year's Day to the last business day of December",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.clock.set_ms(jst(2026, 12, 1, 12));
  f.add("monthly", "0 2 1 * *", "previous");
  auto d = f.dispatcher();
  f.run_until(*d, jst(2027, 2, 2));
  CHECK(f.fired("monthly") == std::vector<std::string>{
                                  "2026-12-28 02:00 | 元日: moved from 2027-01-01 02:00",
                                  "2027-02-01 02:00"});
}

TEST_CASE("dispatcher: the last business day of March over six years", "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.clock.set_ms(jst(2024, 1, 1));
  f.add("fy-close", "0 18 * 3 *", "run", "last");
  auto d = f.dispatcher();
  f.run_until(*d, jst(2030, 1, 1));
  // 2024-03-31 is a Sunday, 2029-03-31 a Saturday.
  CHECK(f.fired("fy-close") == std::vector<std::string>{"2024-03-29 18:00", "2025-03-31 18:00",
                                                         "2026-03-31 18:00", "2027-03-31 18:00",
                                                         "2028-03-31 18:00", "2029-03-30 18:00"});
}

TEST_CASE("dispatcher: after three days down, missed = latest runs the latest fire once",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  for (const std::string& policy : {"latest", "all", "none"}) {
    Fixture f(backend);
    f.clock.set_ms(jst(2026, 11, 16, 3));  // Monday
    f.add("n", "0 2 * * *", "run", "", policy);
    auto d = f.dispatcher();
    REQUIRE(d->reload());
    f.clock.set_ms(jst(2026, 11, 19, 10));  // Thursday morning: the daemon is back
    auto added = d->enqueue_due();
    REQUIRE(added);
    CHECK(*added == 3);
    auto queued = f.fired("n");
    auto missed = f.fired("n", JobState::kMissed);
    INFO(policy);
    if (policy == "latest") {
      CHECK(queued == std::vector<std::string>{
                          "2026-11-19 02:00 | late: no jimu serve was running at 2026-11-19 02:00"});
      CHECK(missed.size() == 2);
      CHECK(missed[0] == "2026-11-17 02:00 | missed: no jimu serve was running at 2026-11-17 02:00 "
                         "(missed = latest: only the latest fire runs)");
    } else if (policy == "all") {
      CHECK(queued.size() == 3);
      CHECK(missed.empty());
    } else {
      CHECK(queued.empty());
      CHECK(missed.size() == 3);
      CHECK(missed[2] == "2026-11-19 02:00 | missed: no jimu serve was running at 2026-11-19 02:00 "
                         "(missed = none)");
    }
  }
}

TEST_CASE("dispatcher: a fire found on time is not late", "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.clock.set_ms(jst(2026, 11, 16, 3));
  f.add("n", "0 2 * * *", "run", "", "none");
  auto d = f.dispatcher();
  f.run_until(*d, jst(2026, 11, 17, 2, 0) + 30000);
  CHECK(f.fired("n") == std::vector<std::string>{"2026-11-17 02:00"});
}

TEST_CASE("dispatcher: two daemons on one store make one job of a fire and claim it once",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.clock.set_ms(jst(2026, 11, 24, 1, 59));
  f.add("n", "0 2 * * *");
  auto other_store = f.ts.open();  // a second connection, as a second daemon has
  DispatcherOptions o;
  o.node = "b";
  Dispatcher a(*f.store, f.clock, f.calendars.lookup(), DispatcherOptions{"a"});
  Dispatcher b(*other_store, f.clock, f.calendars.lookup(), o);
  REQUIRE(a.reload());
  REQUIRE(b.reload());
  f.clock.set_ms(jst(2026, 11, 24, 2, 0));
  auto na = a.enqueue_due();
  auto nb = b.enqueue_due();
  REQUIRE(na);
  REQUIRE(nb);
  CHECK(*na + *nb == 1);
  auto ca = a.claim(4);
  auto cb = b.claim(4);
  REQUIRE(ca);
  REQUIRE(cb);
  CHECK(ca->size() + cb->size() == 1);
  CHECK(f.jobs("n").size() == 1);
}

TEST_CASE("dispatcher: a workflow does not overlap itself unless allowed, and the global limit holds",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  auto s = f.add("n", "0 2 * * *");
  auto queue = [&](const std::string& schedule, const std::string& workflow, int k) {
    JobRecord j;
    j.schedule_id = schedule;
    j.workflow_id = workflow;
    j.workflow_path = "/srv/x.lua";
    j.fire_key = "now:" + std::to_string(k);
    j.trigger = "manual";
    j.due_at = f.clock.now_ms();
    j.actor = "tanaka";
    j.created_at = f.clock.now_ms();
    REQUIRE(f.store->job_add(j));
  };
  for (int i = 0; i < 3; ++i) queue("n", s.workflow_id, i);
  auto d = f.dispatcher("a", 10);
  REQUIRE(d->reload());
  auto first = d->claim(10);
  REQUIRE(first);
  CHECK(first->size() == 1);  // overlap = 1: the others wait
  auto none = d->claim(10);
  REQUIRE(none);
  CHECK(none->empty());
  f.run_for((*first)[0], RunStatus::kSucceeded);
  auto fresh = f.store->find_job((*first)[0].id);
  REQUIRE(d->settle(**fresh, f.run(*(*fresh)->run_id), "", true));
  auto second = d->claim(10);
  REQUIRE(second);
  CHECK(second->size() == 1);

  s.overlap = 0;  // no limit
  REQUIRE(f.store->schedule_put(s, true, "tanaka", f.clock.now_ms()));
  auto third = d->claim(10);
  REQUIRE(third);
  CHECK(third->size() == 1);  // the last queued one

  auto t = f.add("other", "0 3 * * *");
  for (int i = 0; i < 2; ++i) queue("other", t.workflow_id, i);
  auto limited = f.dispatcher("b", 3);  // 2 running already across nodes: room for one
  REQUIRE(limited->reload());
  auto fourth = limited->claim(10);
  REQUIRE(fourth);
  CHECK(fourth->size() == 1);
}

TEST_CASE(
    "dispatcher: a thousand jobs waiting for one busy workflow do not hide another's ready job",
    "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  auto busy = f.add("busy", "0 2 * * *");  // overlap 1
  auto quiet = f.add("quiet", "0 3 * * *");
  auto queue = [&](const ScheduleRecord& s, int k) {
    JobRecord j;
    j.schedule_id = s.id;
    j.workflow_id = s.workflow_id;
    j.workflow_path = s.workflow_path;
    j.fire_key = "2026-04-01 02:00 #" + std::to_string(k);
    j.due_at = f.clock.now_ms();
    j.actor = "scheduler";
    j.created_at = f.clock.now_ms();
    REQUIRE(f.store->job_add(j));
  };
  for (int k = 0; k < 1100; ++k) queue(busy, k);  // more than two pages of a claim
  queue(quiet, 0);                                // queued last, ready as long as the others
  auto d = f.dispatcher("a", 4);
  REQUIRE(d->reload());
  auto claimed = d->claim(4);
  REQUIRE(claimed);
  std::vector<std::string> workflows;
  for (const auto& j : *claimed) workflows.push_back(j.workflow_id);
  CHECK(workflows == std::vector<std::string>{"wf-busy", "wf-quiet"});
  auto again = d->claim(4);
  REQUIRE(again);
  CHECK(again->empty());  // the busy workflow's next job waits for its running one
}

TEST_CASE("dispatcher: a failed attempt is retried with doubling backoff, then the owner is told",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.clock.set_ms(jst(2026, 11, 24, 1, 59));
  auto s = f.add("n", "0 2 * * *");
  s.retry_attempts = 2;
  s.retry_backoff_s = 60;
  s.owner = "kakari@example.lg.jp";
  REQUIRE(f.store->schedule_put(s, true, "tanaka", f.clock.now_ms()));
  auto d = f.dispatcher();
  f.run_until(*d, jst(2026, 11, 24, 2, 0));
  std::vector<int64_t> delays;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto claimed = d->claim(4);
    REQUIRE(claimed);
    REQUIRE(claimed->size() == 1);
    CHECK((*claimed)[0].attempt == attempt);
    int64_t run = f.run_for((*claimed)[0], RunStatus::kFailed, "in/a.csv:3:1: bad");
    auto job = f.store->find_job((*claimed)[0].id);
    auto settled = d->settle(**job, f.run(run), "", true);
    REQUIRE(settled);
    if (attempt < 3) {
      CHECK(settled->state == JobState::kQueued);
      CHECK_FALSE(settled->notify_owner);
      delays.push_back(settled->next_at - f.clock.now_ms());
      auto early = d->claim(4);
      REQUIRE(early);
      CHECK(early->empty());  // not before its time
      f.clock.set_ms(settled->next_at);
    } else {
      CHECK(settled->state == JobState::kFailed);
      CHECK(settled->notify_owner);
      CHECK(settled->reason ==
            "gave up after 3 attempts: run " + std::to_string(run) + " failed: in/a.csv:3:1: bad");
    }
  }
  CHECK(delays == std::vector<int64_t>{60000, 120000});
  bool audited = false;
  REQUIRE(f.store->scan_audit([&](const AuditEntry& e) {
    audited = audited || e.action == "job.gave_up";
    return true;
  }));
  CHECK(audited);
}

TEST_CASE("dispatcher: a workflow that cannot start is not retried", "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  auto s = f.add("n", "0 2 * * *");
  s.retry_attempts = 3;
  REQUIRE(f.store->schedule_put(s, true, "tanaka", f.clock.now_ms()));
  f.clock.advance_ms(86400000);
  auto d = f.dispatcher();
  REQUIRE(d->reload());
  REQUIRE(d->enqueue_due());
  auto claimed = d->claim(1);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 1);
  auto settled = d->settle((*claimed)[0], std::nullopt, "wf.lua:3: unknown key 'shedule'", false);
  REQUIRE(settled);
  CHECK(settled->state == JobState::kFailed);
  CHECK(settled->notify_owner);
}

TEST_CASE("dispatcher: a running job whose node stopped renewing it is stale after the lease",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.add("n", "0 2 * * *");
  f.clock.advance_ms(86400000);
  auto a = f.dispatcher("a");
  auto b = f.dispatcher("b");
  REQUIRE(a->reload());
  REQUIRE(a->enqueue_due());
  auto claimed = a->claim(1);
  REQUIRE(claimed);
  REQUIRE(claimed->size() == 1);
  f.clock.advance_ms(29000);
  CHECK(b->stale_jobs()->empty());
  REQUIRE(f.store->jobs_heartbeat("a", f.clock.now_ms()));
  f.clock.advance_ms(29000);
  CHECK(b->stale_jobs()->empty());  // renewed
  f.clock.advance_ms(2000);
  auto stale = b->stale_jobs();
  REQUIRE(stale);
  REQUIRE(stale->size() == 1);
  CHECK((*stale)[0].node == "a");
}

TEST_CASE("dispatcher: a node settling a stale snapshot cannot settle the next node's claim",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.clock.set_ms(jst(2026, 11, 24, 1, 59));
  auto s = f.add("n", "0 2 * * *");
  s.retry_attempts = 2;
  s.retry_backoff_s = 1;
  REQUIRE(f.store->schedule_put(s, true, "tanaka", f.clock.now_ms()));
  auto a = f.dispatcher("a");
  auto b = f.dispatcher("b");
  auto c = f.dispatcher("c");
  REQUIRE(b->reload());
  REQUIRE(c->reload());
  f.run_until(*a, jst(2026, 11, 24, 2, 0));
  REQUIRE(a->claim(1)->size() == 1);  // node a claims attempt 1, then dies
  f.clock.advance_ms(31000);
  auto seen_by_b = b->stale_jobs();
  auto seen_by_c = c->stale_jobs();  // both see it stale
  REQUIRE(seen_by_b->size() == 1);
  REQUIRE(seen_by_c->size() == 1);
  REQUIRE(b->settle((*seen_by_b)[0], std::nullopt, "node a stopped renewing its lease", true));
  f.clock.advance_ms(1000);
  auto retry = b->claim(1);  // b runs attempt 2 after the backoff
  REQUIRE(retry->size() == 1);
  CHECK((*retry)[0].attempt == 2);
  // c goes on with its snapshot of attempt 1: refused, b's claim stands.
  auto late = c->settle((*seen_by_c)[0], std::nullopt, "node a stopped renewing its lease", true);
  REQUIRE_FALSE(late);
  CHECK(late.status().code() == Code::kConflict);
  CHECK(late.status().message() == "job " + std::to_string((*retry)[0].id) +
                                       " runs attempt 2 on node b, not attempt 1");
  auto job = f.store->find_job((*retry)[0].id);
  CHECK((*job)->state == JobState::kRunning);
  CHECK((*job)->node == "b");
}

TEST_CASE("store: a run started for a job links to it, once, and only while the job is running",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.add("n", "0 2 * * *");
  f.clock.advance_ms(86400000);
  auto d = f.dispatcher();
  REQUIRE(d->reload());
  REQUIRE(d->enqueue_due());
  auto jobs = f.jobs("n");
  REQUIRE(jobs.size() == 1);
  RunStart s;
  s.workflow_id = "wf-n";
  s.workflow_name = "n";
  s.workflow_path = "/srv/n.lua";
  s.actor = "scheduler";
  s.owner = "h/b/1/1";
  s.started_at = f.clock.now_ms();
  s.job_id = jobs[0].id;
  auto refused = f.store->begin_run(s);  // queued, not claimed
  REQUIRE_FALSE(refused);
  CHECK(refused.status().code() == Code::kConflict);
  auto claimed = d->claim(1);
  REQUIRE(claimed);
  auto run = f.store->begin_run(s);
  REQUIRE(run);
  CHECK(f.store->find_job(jobs[0].id).value()->run_id == *run);
}

TEST_CASE("store: disabling a schedule cancels its queued jobs; enabling does not make up the gap",
          "[dispatcher]") {
  const std::string backend = JIMU_STORE_BACKEND();
  Fixture f(backend);
  f.add("n", "0 2 * * *");
  f.clock.advance_ms(86400000);
  auto d = f.dispatcher();
  REQUIRE(d->reload());
  REQUIRE(d->enqueue_due());
  REQUIRE(f.store->schedule_set_enabled("n", false, "tanaka", f.clock.now_ms()));
  CHECK(f.jobs("n")[0].state == JobState::kCancelled);
  auto again = f.store->schedule_set_enabled("n", false, "tanaka", f.clock.now_ms());
  CHECK(again.code() == Code::kConflict);
  f.clock.advance_ms(3 * 86400000);
  REQUIRE(f.store->schedule_set_enabled("n", true, "tanaka", f.clock.now_ms()));
  REQUIRE(d->reload());
  REQUIRE(d->enqueue_due());
  CHECK(f.jobs("n").size() == 1);  // no fires for the three days it was off
  CHECK(f.store->schedule_remove("nope", "tanaka", 0).code() == Code::kNotFound);
  auto dup = f.store->schedule_put(ScheduleRecord{"n"}, false, "tanaka", 0);
  CHECK(dup.code() == Code::kConflict);
}

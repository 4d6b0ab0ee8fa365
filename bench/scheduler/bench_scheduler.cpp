// The scheduler's next-fire work at 10,000 schedules (issue 6): how long the daemon takes to load
// every schedule from the store and work out each one's next fire on the office calendar, and
// the cron arithmetic alone. Prints one JSON object.
//
//   bench_scheduler STORE.db [COUNT]     (the store is created if missing; schedules are added)
// With --crons FILE it also writes the cron expressions, one per line, for the Python baseline.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "engine/calendar/business_calendar.h"
#include "engine/scheduler/calendars.h"
#include "engine/scheduler/dispatcher.h"

using namespace jimu;

namespace {

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_scheduler STORE.db [COUNT] [--crons FILE] [--far]\n");
    return 2;
  }
  const std::string db = argv[1];
  int count = 10000;
  std::string crons_out;
  bool far = false;  // schedules that never fire soon (the idle daemon measurement)
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--crons" && i + 1 < argc) crons_out = argv[++i];
    else if (a == "--far") far = true;
    else count = std::stoi(a);
  }
  StoreOptions so;
  so.sqlite_path = db;
  auto store = open_sqlite_store(so);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  SystemClock& clock = SystemClock::instance();
  std::mt19937 rng(42);
  const char* policies[] = {"run", "skip", "next", "previous"};
  const char* weekdays[] = {"*", "1-5", "MON,WED,FRI", "1-5", "*"};
  std::vector<std::string> crons;
  auto t_add = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    ScheduleRecord s;
    s.id = "s" + std::to_string(i);
    s.workflow_id = "wf" + std::to_string(i % 500);
    s.workflow_path = "/srv/wf" + std::to_string(i % 500) + ".lua";
    int minute = static_cast<int>(rng() % 60), hour = static_cast<int>(rng() % 24);
    if (far) {
      // New Year's Eve at a random minute: nothing fires while the idle daemon is measured.
      s.cron = std::to_string(minute) + " " + std::to_string(hour) + " 31 12 *";
    } else if (i % 10 == 0) {
      s.cron = std::to_string(minute) + " " + std::to_string(hour) + " * * *";
      s.business_day = (i % 20 == 0) ? "last" : std::to_string(1 + static_cast<int>(rng() % 5));
    } else if (i % 7 == 0) {
      s.cron = "*/15 8-18 * * 1-5";
    } else {
      s.cron = std::to_string(minute) + " " + std::to_string(hour) + " * * " + weekdays[rng() % 5];
    }
    s.on_holiday = policies[rng() % 4];
    crons.push_back(s.cron);
    if (Status st = (*store)->schedule_put(s, true, "bench", clock.now_ms()); !st) {
      std::fprintf(stderr, "%s\n", st.message().c_str());
      return 1;
    }
  }
  const double add_ms = ms_since(t_add);
  if (!crons_out.empty()) {
    std::ofstream out(crons_out);
    for (const auto& c : crons) out << c << "\n";
  }

  BusinessCalendar office;
  ScheduleCalendars calendars(office);
  DispatcherOptions o;
  o.node = "bench";
  Dispatcher d(**store, clock, calendars.lookup(), o);
  std::vector<double> reload_ms;
  for (int i = 0; i < 5; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    if (Status st = d.reload(); !st) {
      std::fprintf(stderr, "%s\n", st.message().c_str());
      return 1;
    }
    reload_ms.push_back(ms_since(t0));
  }
  std::vector<double> load_ms, parse_ms;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    auto all = (*store)->schedules();
    load_ms.push_back(ms_since(t0));
    t0 = std::chrono::steady_clock::now();
    for (const auto& s : *all) (void)Dispatcher::spec_of(s);
    parse_ms.push_back(ms_since(t0));
  }
  // The arithmetic alone: the next fire of each, from now, on the office calendar.
  std::vector<ScheduleSpec> specs;
  std::vector<const BusinessDays*> days;
  for (const auto& s : d.schedules()) {
    specs.push_back(*Dispatcher::spec_of(s));
    days.push_back(calendars.find(s.calendar));
  }
  const LocalMinute now = LocalMinute::from_epoch_ms(clock.now_ms());
  std::vector<double> compute_ms;
  int64_t checksum = 0;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (size_t i = 0; i < specs.size(); ++i) {
      auto f = next_fire(specs[i], *days[i], now);
      if (f) checksum += f->at.index();
    }
    compute_ms.push_back(ms_since(t0));
  }
  // Pure cron arithmetic (the part croniter does): CronExpr::next_after for each.
  std::vector<double> cron_ms;
  for (int r = 0; r < 5; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    for (const auto& s : specs) {
      auto n = s.cron.next_after(now);
      if (n) checksum += n->index();
    }
    cron_ms.push_back(ms_since(t0));
  }
  std::printf(
      "{\"schedules\": %zu, \"add_ms\": %.0f, \"reload_ms_median\": %.1f, \"next_fire_ms_median\": "
      "%.1f, \"cron_next_ms_median\": %.2f, \"store_read_ms_median\": %.1f, \"parse_ms_median\": %.1f, "
      "\"checksum\": %lld}\n",
      specs.size(), add_ms, median(reload_ms), median(compute_ms), median(cron_ms), median(load_ms),
      median(parse_ms),
      static_cast<long long>(checksum));
  return 0;
}

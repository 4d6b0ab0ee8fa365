// Approval benchmarks (bench/README.md, section "Approval"):
//  1. decisions recorded durably per second on the embedded store, from 1 and from many threads
//     (group commit: decisions arriving together share one fsync);
//  2. listing one user's inbox among 1,000,000 documents.
// Documents are generated with a bulk insert straight into the SQLite file (one transaction,
// prepared statements) after jimu has created the schema; decisions and inbox queries then go
// through the ApprovalRouter and the store exactly as jimu runs them.
//
// Usage: bench_approval DIR [DOCUMENTS=1000000] [DECISIONS=4000]
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "engine/approval/approval_router.h"
#include "engine/approval/business_days.h"
#include "engine/core/clock.h"

using namespace jimu;
using Clock_ = std::chrono::steady_clock;

namespace {

double ms_since(Clock_::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock_::now() - t).count();
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

std::unique_ptr<Store> open_store(const std::string& path) {
  StoreOptions o;
  o.sqlite_path = path;
  auto s = open_sqlite_store(o);
  if (!s) {
    std::fprintf(stderr, "%s\n", s.status().message().c_str());
    std::exit(1);
  }
  return std::move(s).value();
}

// Bulk-inserts n documents "B-i" with two steps: step 1 (one approver of kUsers) active and
// pending for 4 in 5 documents; the rest approved. Step 2 is the user's division head.
constexpr int kUsers = 2000;
void generate(const std::string& path, int n, int64_t now) {
  sqlite3* db = nullptr;
  check(sqlite3_open(path.c_str(), &db), db, "open");
  check(sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", nullptr, nullptr, nullptr), db, "begin");
  sqlite3_stmt *doc, *step, *assignee, *history;
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO approval_documents (id, title, category, amount, division, "
                           "drafter, state, current_step, rule, handler, created_at, updated_at, "
                           "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?)",
                           -1, &doc, nullptr),
        db, "prepare");
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO approval_steps (document_id, step_no, mode, required, "
                           "due_days, decides, state, activation, activated_at, due_date) "
                           "VALUES (?, ?, 'all', 1, 3, ?, ?, ?, ?, ?)",
                           -1, &step, nullptr),
        db, "prepare");
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO approval_assignees (document_id, step_no, position, "
                           "approver, decision, pending) VALUES (?, ?, 1, ?, ?, ?)",
                           -1, &assignee, nullptr),
        db, "prepare");
  check(sqlite3_prepare_v2(db,
                           "INSERT INTO approval_history (document_id, seq, at, actor, "
                           "on_behalf_of, capacity, action, step_no, target_step, comment) "
                           "VALUES (?, 1, ?, ?, '', '', 'submit', 0, -1, '')",
                           -1, &history, nullptr),
        db, "prepare");
  const char* categories[] = {"物品購入", "契約", "支出", "旅費"};
  for (int i = 0; i < n; ++i) {
    std::string id = "B-" + std::to_string(i);
    std::string approver = "user" + std::to_string((i * 7919) % kUsers);
    std::string head = "head" + std::to_string(i % 50);
    bool open = i % 5 != 0;
    std::string due = "2026-12-" + std::to_string(10 + i % 20);
    sqlite3_bind_text(doc, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(doc, 2, "消耗品購入 ㈱髙島屋", -1, SQLITE_STATIC);
    sqlite3_bind_text(doc, 3, categories[i % 4], -1, SQLITE_STATIC);
    sqlite3_bind_int64(doc, 4, (i % 1000) * 1000);
    sqlite3_bind_text(doc, 5, "総務課", -1, SQLITE_STATIC);
    std::string drafter = "drafter" + std::to_string(i % 3000);
    sqlite3_bind_text(doc, 6, drafter.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(doc, 7, open ? "in_progress" : "approved", -1, SQLITE_STATIC);
    sqlite3_bind_int(doc, 8, open ? 1 : 2);
    sqlite3_bind_int64(doc, 9, now);
    sqlite3_bind_int64(doc, 10, now);
    if (open) sqlite3_bind_null(doc, 11); else sqlite3_bind_int64(doc, 11, now);
    check(sqlite3_step(doc), db, "insert document");
    sqlite3_reset(doc);
    for (int s = 1; s <= 2; ++s) {
      bool active = open && s == 1;
      sqlite3_bind_text(step, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(step, 2, s);
      sqlite3_bind_int(step, 3, s == 2);
      sqlite3_bind_text(step, 4, active ? "active" : open ? "waiting" : "approved", -1,
                        SQLITE_STATIC);
      sqlite3_bind_int(step, 5, active || !open ? 1 : 0);
      sqlite3_bind_int64(step, 6, active || !open ? now : 0);
      sqlite3_bind_text(step, 7, active ? due.c_str() : "", -1, SQLITE_TRANSIENT);
      check(sqlite3_step(step), db, "insert step");
      sqlite3_reset(step);
      sqlite3_bind_text(assignee, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(assignee, 2, s);
      sqlite3_bind_text(assignee, 3, (s == 1 ? approver : head).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(assignee, 4, open ? "" : "approved", -1, SQLITE_STATIC);
      sqlite3_bind_int(assignee, 5, active ? 1 : 0);
      check(sqlite3_step(assignee), db, "insert assignee");
      sqlite3_reset(assignee);
    }
    sqlite3_bind_text(history, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(history, 2, now);
    sqlite3_bind_text(history, 3, drafter.c_str(), -1, SQLITE_TRANSIENT);
    check(sqlite3_step(history), db, "insert history");
    sqlite3_reset(history);
  }
  for (sqlite3_stmt* s : {doc, step, assignee, history}) sqlite3_finalize(s);
  check(sqlite3_exec(db, "COMMIT; ANALYZE", nullptr, nullptr, nullptr), db, "commit");
  sqlite3_close(db);
}

ApprovalOptions options_for(Store* store, Clock* clock) {
  ApprovalOptions o;
  o.store = store;
  o.clock = clock;
  o.add_business_days = &add_weekdays;
  return o;
}

// Approves `count` documents of a one-step route from `threads` threads; decisions per second.
double decisions_per_second(const std::string& dir, int count, int threads) {
  std::string path = dir + "/decisions-" + std::to_string(threads) + ".db";
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto store = open_store(path);
  store.reset();
  int64_t now = SystemClock::instance().now_ms();
  generate(path, count, now);
  store = open_store(path);
  ApprovalRouter router(options_for(store.get(), &SystemClock::instance()));
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  auto start = Clock_::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        if (i % 5 == 0) continue;  // generated as already decided
        std::string approver = "user" + std::to_string((i * 7919) % kUsers);
        if (!router.approve("B-" + std::to_string(i), approver, "承認")) ++failed;
      }
    });
  }
  for (auto& t : pool) t.join();
  double ms = ms_since(start);
  int decided = count - (count + 4) / 5;
  if (failed > 0) std::fprintf(stderr, "%d decisions failed\n", failed.load());
  return decided / (ms / 1000.0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_approval DIR [DOCUMENTS=1000000] [DECISIONS=4000]\n");
    return 2;
  }
  std::string dir = argv[1];
  int documents = argc > 2 ? std::atoi(argv[2]) : 1000000;
  int decisions = argc > 3 ? std::atoi(argv[3]) : 4000;
  std::filesystem::create_directories(dir);

  std::printf("== approval: decisions recorded durably (fsync per commit, SQLite WAL) ==\n");
  for (int threads : {1, 8, 64}) {
    int n = threads == 1 ? std::max(decisions / 10, 100) : decisions;
    std::printf("  %2d threads: %8.0f decisions/s (%d decisions)\n", threads,
                decisions_per_second(dir, n, threads), n - (n + 4) / 5);
    std::fflush(stdout);
  }

  std::printf("== approval: one user's inbox among %d documents ==\n", documents);
  std::string path = dir + "/inbox.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  open_store(path).reset();
  auto start = Clock_::now();
  generate(path, documents, SystemClock::instance().now_ms());
  std::printf("  generated in %.1f s (%.0f MB)\n", ms_since(start) / 1000,
              std::filesystem::file_size(path) / 1e6);
  auto store = open_store(path);
  ApprovalRouter router(options_for(store.get(), &SystemClock::instance()));
  for (int limit : {100, 1000}) {
    std::vector<double> times;
    size_t items = 0;
    for (int u = 0; u < 200; ++u) {
      auto t = Clock_::now();
      auto inbox = router.inbox("user" + std::to_string((u * 37) % kUsers), limit);
      times.push_back(ms_since(t));
      if (!inbox) {
        std::fprintf(stderr, "%s\n", inbox.status().message().c_str());
        return 1;
      }
      items += inbox->size();
    }
    std::sort(times.begin(), times.end());
    std::printf("  inbox (limit %4d, %zu items on average): median %.2f ms, p95 %.2f ms, max %.2f ms\n",
                limit, items / times.size(), times[times.size() / 2],
                times[times.size() * 95 / 100], times.back());
  }
  return 0;
}

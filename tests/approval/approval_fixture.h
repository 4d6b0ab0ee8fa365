// ApprovalFixture: an approval router over a real store (SQLite in a TempDir by default, or the
// backend given: tests/support/store_backend.h), with a FakeClock
// (starting Tuesday 2026-11-24 09:00 JST) and weekend-only business days, for the router's tests.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/approval/approval_router.h"
#include "engine/approval/business_days.h"
#include "engine/core/clock.h"
#include "engine/store/store.h"
#include "tests/support/store_backend.h"
#include "tests/support/temp_dir.h"

namespace jimu::testing {

class RecordingListener final : public ApprovalListener {
 public:
  void on_finished(const ApprovalDocument& d, const std::string& outcome) override {
    finished.emplace_back(d.id, outcome);
  }
  std::vector<std::pair<std::string, std::string>> finished;
};

// Local (JST) 09:00 of a day, as UTC milliseconds.
inline int64_t jst_9am(int y, int m, int d) {
  return CivilDate{y, m, d}.days_since_epoch() * 86400000;
}

inline RouteStep step_of(std::vector<std::string> approvers, std::string mode = "all",
                         int quorum = 0, int due_days = 3, bool decides = false) {
  RouteStep s;
  s.approvers = std::move(approvers);
  s.mode = std::move(mode);
  s.quorum = quorum;
  s.due_days = due_days;
  s.decides = decides;
  return s;
}

class ApprovalFixture {
 public:
  explicit ApprovalFixture(const std::string& backend = "sqlite") : backing(backend) { open(); }

  void open() {
    auto s = backing.try_open();
    if (!s) throw std::runtime_error(s.status().message());
    store = std::move(s).value();
    ApprovalOptions o;
    o.store = store.get();
    o.clock = &clock;
    o.add_business_days = &add_weekdays;
    o.escalate_after_days = 2;
    o.listener = &listener;
    o.rules.time_limit_s = 1;
    router = std::make_unique<ApprovalRouter>(std::move(o));
  }
  // Closes the store and opens it again, as a restarted jimu would.
  void reopen() {
    router.reset();
    store.reset();
    open();
  }

  // Submits a document by yamada (総務課) with the given route; returns its id.
  std::string submit(std::vector<RouteStep> steps, const std::string& id = "",
                     const std::string& handler = "") {
    Submission sub;
    sub.document = {id, "備品購入 ㈱髙島屋 ～ 〜", "物品購入", 120000, "総務課", "yamada"};
    sub.route = Route{std::move(steps)};
    sub.handler = handler;
    auto r = router->submit(sub);
    if (!r) throw std::runtime_error(r.status().message());
    return *r;
  }

  ApprovalDocument doc(const std::string& id) {
    auto d = store->approval_document(id);
    if (!d || !*d) throw std::runtime_error("no document " + id);
    return **d;
  }
  std::vector<ApprovalEvent> history(const std::string& id) { return *store->approval_history(id); }

  TestStore backing;  // the store's file or database
  FakeClock clock{jst_9am(2026, 11, 24)};
  RecordingListener listener;
  std::unique_ptr<Store> store;
  std::unique_ptr<ApprovalRouter> router;
};

}  // namespace jimu::testing

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "engine/store/audit_chain.h"
#include "engine/store/store.h"
#include "tests/support/store_backend.h"

// The tamper tests run on SQLite and PostgreSQL alike (JIMU_STORE_BACKEND).
using namespace jimu;
using jimu::testing::TestStore;

namespace {

// A store with five audit entries: 2 runs (start + end) and one registry change.
std::unique_ptr<Store> filled(const TestStore& d) {
  auto store = d.open();
  for (int i = 0; i < 2; ++i) {
    RunStart r;
    r.workflow_id = "wf";
    r.workflow_name = "集計";
    r.workflow_path = "/x.lua";
    r.actor = "sato";
    r.owner = "h/b/1/1";
    r.started_at = 1000 + i;
    auto id = store->begin_run(r);
    REQUIRE(store->finish_run(*id, RunStatus::kSucceeded, 3, 2000 + i, "", "", {}));
  }
  REQUIRE(store->append_audit(3000, "suzuki", "operation.add", "operation:GYO-1", "{\"name\":\"受付\"}"));
  return store;
}

std::unique_ptr<Store> reopen(const TestStore& d) { return d.open(); }

// Raw SQL with the append-only triggers dropped first, as someone with the database's
// administrator rights would do.
void tamper(const TestStore& d, const std::string& sql) {
  d.raw_sql(d.is_pg() ? "DROP TRIGGER audit_no_update ON audit; "
                        "DROP TRIGGER audit_no_delete ON audit; " + sql
                      : "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; " + sql);
}

}  // namespace

TEST_CASE("audit: an untouched trail verifies", "[audit]") {
  TestStore d(JIMU_STORE_BACKEND());
  auto store = filled(d);
  auto r = verify_audit(*store);
  REQUIRE(r);
  CHECK(r->ok());
  CHECK(r->entries == 5);
  CHECK(r->head_hash.size() == 64);
}

TEST_CASE("audit: an edited entry is detected and named", "[audit]") {
  TestStore d(JIMU_STORE_BACKEND());
  filled(d);
  tamper(d, "UPDATE audit SET actor = 'mallory' WHERE seq = 3");
  auto r = verify_audit(*reopen(d));
  REQUIRE(r);
  REQUIRE(r->problems.size() == 1);
  CHECK(r->problems[0].message == "entry 3 (run.start run:2) does not match its hash (edited)");
}

TEST_CASE("audit: an edit with a recomputed hash breaks the next link", "[audit]") {
  TestStore d(JIMU_STORE_BACKEND());
  auto store = filled(d);
  // Recompute entry 2's hash after editing it, as a careful forger would.
  AuditEntry e2;
  REQUIRE(store->scan_audit([&](const AuditEntry& e) { if (e.seq == 2) e2 = e; return true; }));
  e2.detail = "{\"status\":\"succeeded\",\"items\":3000}";
  std::string forged = audit_entry_hash(e2);
  store.reset();
  tamper(d, "UPDATE audit SET detail = '" + e2.detail +
                                 "', hash = '" + forged + "' WHERE seq = 2");
  auto r = verify_audit(*reopen(d));
  REQUIRE(r);
  REQUIRE(r->problems.size() == 1);
  CHECK(r->problems[0].message ==
        "entry 3 does not link to the entry before it (an entry before it was edited, inserted or deleted)");
}

TEST_CASE("audit: a deleted entry is detected", "[audit]") {
  TestStore d(JIMU_STORE_BACKEND());
  filled(d);
  tamper(d, "DELETE FROM audit WHERE seq = 2");
  auto r = verify_audit(*reopen(d));
  REQUIRE(r);
  REQUIRE(r->problems.size() == 2);
  CHECK(r->problems[0].message == "entry 2 is missing (deleted)");
  CHECK(r->problems[1].message ==
        "entry 3 does not link to the entry before it (an entry before it was edited, inserted or deleted)");
}

TEST_CASE("audit: an inserted entry is detected", "[audit]") {
  TestStore d(JIMU_STORE_BACKEND());
  filled(d);
  tamper(d, "UPDATE audit SET seq = seq + 1000 WHERE seq >= 4;"
                                 "UPDATE audit SET seq = seq - 999 WHERE seq >= 1000;"
                                 "INSERT INTO audit VALUES (4, 1500, 'mallory', 'run.end', 'run:1', '{}', 'x', 'y')");
  auto r = verify_audit(*reopen(d));
  REQUIRE(r);
  CHECK_FALSE(r->ok());
  CHECK(r->problems[0].message ==
        "entry 4 does not link to the entry before it (an entry before it was edited, inserted or deleted)");
}

TEST_CASE("audit: deleting the tail together with its runs' start entries is caught by the cross-check", "[audit]") {
  TestStore d(JIMU_STORE_BACKEND());
  filled(d);
  tamper(d, "DELETE FROM audit WHERE seq >= 3");
  auto r = verify_audit(*reopen(d));
  REQUIRE(r);
  REQUIRE(r->problems.size() == 1);
  CHECK(r->problems[0].message == "run 2 has no run.start entry in the trail (entries deleted)");
}

TEST_CASE("audit: export writes one JSON object per entry with its hashes", "[audit]") {
  AuditEntry e{7, 1806505200000, "佐藤", "run.start", "run:3", "{\"a\":1}", "p", "h"};
  CHECK(audit_entry_json(e) ==
        "{\"seq\":7,\"at\":\"2027-04-01T00:00:00+09:00\",\"at_ms\":1806505200000,\"actor\":\"佐藤\","
        "\"action\":\"run.start\",\"subject\":\"run:3\",\"detail\":{\"a\":1},\"prev_hash\":\"p\",\"hash\":\"h\"}");
}

TEST_CASE("audit: the hash covers every field, length-prefixed", "[audit]") {
  AuditEntry a{1, 2, "ab", "c", "s", "{}", kAuditGenesisHash, ""};
  AuditEntry b = a;
  b.actor = "a";
  b.action = "bc";  // same concatenation, different fields
  CHECK(audit_entry_hash(a) != audit_entry_hash(b));
  AuditEntry c = a;
  c.at = 3;
  CHECK(audit_entry_hash(a) != audit_entry_hash(c));
}

TEST_CASE("audit: verify passes while other processes go on starting runs", "[audit]") {
  const std::string backend = JIMU_STORE_BACKEND();
  TestStore d(backend);
  auto store = filled(d);
  auto writer_store = d.open();  // another process: a jimu serve node starting runs
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 300; ++i) {
      RunStart r;
      r.workflow_id = "wf";
      r.workflow_name = "夜間 ㈱髙島屋";
      r.workflow_path = "/x.lua";
      r.actor = "scheduler";
      r.owner = "h/b/1/1";
      r.started_at = 5000 + i;
      (void)writer_store->begin_run(r);
    }
    done = true;
  });
  int verified = 0, failed = 0;
  std::string first_problem;
  while (!done) {
    auto report = verify_audit(*store);
    if (report && report->ok()) {
      ++verified;
    } else if (++failed == 1) {
      first_problem = report ? report->problems[0].message : report.status().to_string();
    }
  }
  writer.join();
  INFO(first_problem);
  CHECK(failed == 0);
  CHECK(verified > 0);
}

#include <catch2/catch.hpp>

#include <thread>

#include "engine/store/schema.h"
#include "engine/store/sql_store.h"
#include "engine/store/store.h"
#include "tests/support/store_backend.h"

// Every test here runs on SQLite and on PostgreSQL (JIMU_STORE_BACKEND).
using namespace jimu;
using jimu::testing::TestStore;

namespace {

RunStart start_of(const std::string& wf, int64_t at, std::optional<std::string> op = {}) {
  RunStart s;
  s.workflow_id = wf;
  s.workflow_name = "名前 " + wf;
  s.workflow_path = "/srv/" + wf + ".lua";
  s.operation = op;
  s.actor = "tanaka";
  s.owner = "host/boot/1/1";
  s.started_at = at;
  return s;
}

Operation op_of(const std::string& id, const std::string& division = "税務課") {
  Operation op;
  op.id = id;
  op.name = "口座振替結果点検";
  op.division = division;
  op.kind = OperationKind::kRpa;
  op.go_live = "2026-04-01";
  op.minutes_per_item = 3;
  op.created_at = 1000;
  return op;
}

}  // namespace

TEST_CASE("store: a run is recorded from start to end with its log", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  auto id = store->begin_run(start_of("debit-check", 1790000000000, "GYO-012"));
  REQUIRE(id);
  CHECK(*id == 1);
  REQUIRE(store->heartbeat(*id, 10, {{1790000000100, LogLevel::kInfo, "読込 10 件"}}));
  REQUIRE(store->finish_run(*id, RunStatus::kSucceeded, 25, 1790000001000, "", "",
                            {{1790000000900, LogLevel::kWarn, "2 件 除外"}}));
  auto run = store->get_run(*id);
  REQUIRE(run);
  CHECK(run->status == RunStatus::kSucceeded);
  CHECK(run->items == 25);
  CHECK(*run->operation == "GYO-012");
  CHECK(*run->ended_at == 1790000001000);
  auto logs = store->run_logs(*id);
  REQUIRE(logs);
  REQUIRE(logs->size() == 2);
  CHECK((*logs)[0].message == "読込 10 件");
  CHECK((*logs)[1].level == LogLevel::kWarn);
}

TEST_CASE("store: a run cannot end twice; the first word stands", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  auto id = store->begin_run(start_of("a", 1));
  REQUIRE(store->finish_run(*id, RunStatus::kSucceeded, 1, 2, "", "", {}));
  Status again = store->finish_run(*id, RunStatus::kFailed, 0, 3, "boom", "", {});
  CHECK(again.code() == Code::kConflict);
  CHECK(again.message() == "run 1 is already succeeded");
  CHECK(store->get_run(*id)->status == RunStatus::kSucceeded);
}

TEST_CASE("store: runs of dead processes are marked interrupted, live ones are left", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  RunStart dead = start_of("a", 1);
  dead.owner = "host-a/boot/111/5";
  RunStart live = start_of("b", 2);
  live.owner = "host-a/boot/222/5";
  auto a = store->begin_run(dead);
  auto b = store->begin_run(live);
  auto n = store->recover_interrupted([](const std::string& o) { return o.find("/222/") != std::string::npos; },
                                      "jimu", 99);
  REQUIRE(n);
  CHECK(*n == 1);
  auto ra = store->get_run(*a);
  CHECK(ra->status == RunStatus::kInterrupted);
  CHECK(ra->error == "interrupted: process 111 on host-a ended before the run finished (killed, crashed or power lost)");
  CHECK(store->get_run(*b)->status == RunStatus::kRunning);
  // The interrupted run cannot be finished afterwards by a late writer.
  CHECK(store->finish_run(*a, RunStatus::kSucceeded, 5, 100, "", "", {}).code() == Code::kConflict);
}

TEST_CASE("store: two processes recovering the same dead run mark it interrupted once",
          "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto a = ts.open();
  auto b = ts.open();  // another process (or node) with its own connection
  for (int i = 0; i < 20; ++i) {
    RunStart dead = start_of("a", i);
    dead.owner = "host-a/boot/111/5";
    REQUIRE(a->begin_run(dead));
  }
  auto dead = [](const std::string&) { return false; };
  int na = 0, nb = 0;
  std::thread ta([&] { na = *a->recover_interrupted(dead, "jimu", 99); });
  std::thread tb([&] { nb = *b->recover_interrupted(dead, "jimu", 99); });
  ta.join();
  tb.join();
  CHECK(na + nb == 20);
  int marked = 0;
  REQUIRE(a->scan_audit([&](const AuditEntry& e) {
    marked += e.action == "run.interrupted";
    return true;
  }));
  CHECK(marked == 20);
}

TEST_CASE("store: list_runs filters by workflow and status, newest first", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  for (int i = 0; i < 5; ++i) {
    auto id = store->begin_run(start_of(i % 2 ? "odd" : "even", i));
    REQUIRE(store->finish_run(*id, i == 4 ? RunStatus::kFailed : RunStatus::kSucceeded, i, i + 1, "", "", {}));
  }
  RunFilter f;
  f.workflow_id = "even";
  auto runs = store->list_runs(f);
  REQUIRE(runs->size() == 3);
  CHECK((*runs)[0].id == 5);
  f.status = RunStatus::kFailed;
  CHECK(store->list_runs(f)->size() == 1);
  RunFilter lim;
  lim.limit = 2;
  CHECK(store->list_runs(lim)->size() == 2);
}

TEST_CASE("store: the registry validates operations and refuses duplicates", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  REQUIRE(store->add_operation(op_of("GYO-012"), "tanaka"));
  Status dup = store->add_operation(op_of("GYO-012"), "tanaka");
  CHECK(dup.code() == Code::kConflict);
  CHECK(dup.message() == "operation GYO-012 is already registered");
  Operation bad = op_of("GYO-013");
  bad.go_live = "2026-02-30";
  CHECK(store->add_operation(bad, "t").message() ==
        "operation GYO-013: go-live date '2026-02-30' is not a date like 2026-04-01");
  Operation neg = op_of("GYO-014");
  neg.minutes_per_item = -1;
  CHECK(store->add_operation(neg, "t").code() == Code::kInvalid);
  auto found = store->find_operation("GYO-012");
  REQUIRE(found);
  REQUIRE(found->has_value());
  CHECK((*found)->division == "税務課");
  CHECK_FALSE(store->find_operation("GYO-999")->has_value());
}

TEST_CASE("store: retiring checks the date and happens once", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  REQUIRE(store->add_operation(op_of("GYO-012"), "tanaka"));
  CHECK(store->retire_operation("GYO-012", "2026-03-31", "t", 5).message() ==
        "operation GYO-012: retired date 2026-03-31 is before its go-live date 2026-04-01");
  REQUIRE(store->retire_operation("GYO-012", "2027-03-31", "t", 5));
  CHECK(store->retire_operation("GYO-012", "2027-04-30", "t", 6).message() ==
        "operation GYO-012 is already retired (since 2027-03-31)");
  CHECK(store->retire_operation("GYO-404", "2027-04-30", "t", 6).code() == Code::kNotFound);
}

TEST_CASE("store: reopening keeps everything and does not migrate twice", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  {
    auto store = ts.open();
    REQUIRE(store->add_operation(op_of("GYO-012"), "t"));
  }
  auto store = ts.open();
  CHECK(store->list_operations()->size() == 1);
  // One row per migration: the second open applied none again.
  ts.raw_sql("CREATE TABLE migrations_seen AS SELECT COUNT(*) AS n FROM schema_version");
  ts.raw_sql("INSERT INTO operations (id, name, division, kind, go_live, created_at) "
             "SELECT 'COUNT-' || n, 'x', 'x', 'rpa', '2026-04-01', 0 FROM migrations_seen");
  CHECK(store->find_operation("COUNT-" + std::to_string(store_migrations().size()))->has_value());
}

TEST_CASE("store: a store from a newer jimu is refused, not damaged", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  { ts.open(); }
  ts.raw_sql("INSERT INTO schema_version (version) VALUES (99)");
  auto s = ts.try_open();
  REQUIRE_FALSE(s);
  std::string latest = std::to_string(store_migrations().back().version);
  CHECK(s.status().message().find("the store has schema version 99, newer than this jimu knows (" +
                                  latest + ")") != std::string::npos);
}

TEST_CASE("store: the audit table refuses updates and deletes", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  REQUIRE(store->add_operation(op_of("GYO-012"), "t"));
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(ts.raw_sql("UPDATE audit SET actor = 'x'"),
                    Contains("the audit trail is append-only"));
  CHECK_THROWS_WITH(ts.raw_sql("DELETE FROM audit"), Contains("the audit trail is append-only"));
  if (ts.is_pg()) {
    CHECK_THROWS_WITH(ts.raw_sql("TRUNCATE audit"), Contains("the audit trail is append-only"));
  }
}

TEST_CASE("store: KPI facts group non-dry runs by operation, month and status", "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  auto add = [&](int64_t at, bool dry, RunStatus st, int64_t items) {
    RunStart s = start_of("a", at, "GYO-012");
    s.dry_run = dry;
    auto id = store->begin_run(s);
    REQUIRE(store->finish_run(*id, st, items, at + 1, "", "", {}));
  };
  add(1775000000000, false, RunStatus::kSucceeded, 10);  // 2026-04-01 08:33 JST
  add(1775000000000, false, RunStatus::kSucceeded, 5);
  add(1775000000000, true, RunStatus::kSucceeded, 100);  // dry: not a fact
  add(1775000000000, false, RunStatus::kFailed, 7);
  auto facts = store->kpi_facts("2026-04-01", "2027-03-31");
  REQUIRE(facts);
  REQUIRE(facts->size() == 2);
  for (const auto& f : *facts) {
    CHECK(f.month == "2026-04");
    if (f.status == RunStatus::kSucceeded) {
      CHECK(f.runs == 2);
      CHECK(f.items == 15);
    } else {
      CHECK(f.runs == 1);
    }
  }
}

TEST_CASE("store: the KPI's day totals grow with every final status, exactly as the runs say",
          "[store]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.open();
  REQUIRE(store->add_operation(op_of("GYO-1"), "t"));
  const int64_t day = 1795000000000;  // 2026-11-18 (JST)
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    RunStart s = start_of(i % 2 ? "a" : "b", day + i * 1000, i < 4 ? std::optional<std::string>("GYO-1")
                                                                 : std::nullopt);
    s.dry_run = i == 5;
    s.owner = i == 4 ? "host-a/boot/111/5" : "host/boot/1/1";
    auto id = store->begin_run(s);
    REQUIRE(id);
    ids.push_back(*id);
  }
  REQUIRE(store->finish_run(ids[0], RunStatus::kSucceeded, 10, day + 9000, "", "", {}));
  REQUIRE(store->finish_run(ids[1], RunStatus::kSucceeded, 5, day + 9000, "", "", {}));
  REQUIRE(store->finish_run(ids[2], RunStatus::kFailed, 1, day + 9000, "x", "", {}));
  REQUIRE(store->interrupt_run(ids[3], "lease lost", "scheduler", day + 9000));
  REQUIRE(store->recover_interrupted([](const std::string& o) { return o.find("/111/") == std::string::npos; },
                                     "jimu", day + 9000));
  REQUIRE(store->finish_run(ids[5], RunStatus::kSucceeded, 7, day + 9000, "", "", {}));
  // A late second word changes nothing, totals included.
  CHECK(store->finish_run(ids[0], RunStatus::kFailed, 99, day + 9999, "", "", {}).code() == Code::kConflict);
  const std::string totals = ts.raw_sql(
      "SELECT day, operation_id, status, dry_run, runs, items FROM run_day_totals "
      "ORDER BY operation_id, status, dry_run");
  const std::string from_runs = ts.raw_sql(
      "SELECT started_day, COALESCE(operation_id, ''), status, dry_run, COUNT(*), SUM(items) "
      "FROM runs WHERE status <> 'running' GROUP BY started_day, COALESCE(operation_id, ''), status, "
      "dry_run ORDER BY 2, 3, 4");
  CHECK(totals == from_runs);
  CHECK(totals.find("GYO-1|succeeded|0|2|15") != std::string::npos);
  auto facts = store->kpi_facts("2026-11-01", "2026-11-30");
  REQUIRE(facts);
  int64_t runs = 0;
  for (const auto& f : *facts) runs += f.runs;
  CHECK(runs == 5);  // the dry run is not a fact; the interrupted ones are
}

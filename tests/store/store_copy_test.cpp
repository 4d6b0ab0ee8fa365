// jimu store migrate's engine: a SQLite store copied into PostgreSQL keeps every row, id and
// hash; identity columns continue after the copied ids; a copy that fails half way leaves the
// target empty (one transaction).
#include <catch2/catch.hpp>

#include "engine/store/store_copy.h"
#include "tests/support/store_backend.h"

using namespace jimu;
using jimu::testing::TestStore;

namespace {

void fill(Store& store, int runs) {
  Operation op;
  op.id = "GYO-1";
  op.name = "受付 ㈱髙島屋";
  op.division = "市民課";
  op.go_live = "2026-04-01";
  op.created_at = 5;
  REQUIRE(store.add_operation(op, "sato"));
  for (int i = 0; i < runs; ++i) {
    RunStart s;
    s.workflow_id = "wf";
    s.workflow_name = "ｶﾅ ～ 〜";
    s.workflow_path = "/wf.lua";
    s.operation = "GYO-1";
    s.actor = "sato";
    s.owner = "h/b/1/1";
    s.started_at = 1790000000000 + i;
    auto id = store.begin_run(s);
    REQUIRE(id);
    REQUIRE(store.finish_run(*id, RunStatus::kSucceeded, i, s.started_at + 7, "", "",
                             {{s.started_at + 1, LogLevel::kInfo, "① 行目"}}));
  }
}

int64_t rows_of(const StoreInfo& info, const std::string& table) {
  for (const auto& t : info.tables) {
    if (t.table == table) return t.rows;
  }
  return -1;
}

}  // namespace

TEST_CASE("store copy: SQLite to PostgreSQL keeps rows, ids and the audit chain", "[store][pg]") {
  TestStore from("sqlite"), to("postgresql");
  std::string head;
  {
    auto src = from.open();
    fill(*src, 30);
    head = verify_audit(*src)->head_hash;
  }
  StoreOptions a, b;
  a.url = from.url();
  b.url = to.url();
  auto report = copy_store(a, b);
  REQUIRE(report);
  CHECK(report->audit.ok());
  CHECK(report->audit.entries == 61);
  CHECK(report->audit.head_hash == head);
  CHECK(rows_of(report->target, "runs") == 30);
  CHECK(rows_of(report->target, "run_logs") == 30);
  CHECK(rows_of(report->target, "operations") == 1);
  CHECK(report->source.tables.size() == report->target.tables.size());

  auto dst = to.open();
  auto run = dst->get_run(17);
  REQUIRE(run);
  CHECK(run->workflow_name == "ｶﾅ ～ 〜");
  CHECK(run->started_at == 1790000000016);
  CHECK(*run->ended_at == 1790000000023);
  CHECK((*dst->run_logs(17))[0].message == "① 行目");
  // New runs continue after the copied ids.
  RunStart s;
  s.workflow_id = "wf";
  s.workflow_name = "next";
  s.workflow_path = "/wf.lua";
  s.actor = "sato";
  s.owner = "h/b/1/1";
  s.started_at = 1800000000000;
  auto next = dst->begin_run(s);
  REQUIRE(next);
  CHECK(*next == 31);
  CHECK(verify_audit(*dst)->ok());

  // Into a database that now holds rows: refused, naming the tables.
  auto again = copy_store(a, b);
  REQUIRE_FALSE(again);
  CHECK(again.status().code() == Code::kConflict);
  CHECK(again.status().message() ==
        "the target store is not empty (operations 1, runs 31, run_logs 30, audit 62, run_day_totals 1 "
        "rows): "
        "migrate only into a new, empty database");
}

TEST_CASE("store copy: a copy that fails half way leaves the target empty", "[store][pg]") {
  TestStore from("sqlite"), to("postgresql");
  { fill(*from.open(), 5); }
  // SQLite keeps any bytes; PostgreSQL refuses a message that is not UTF-8, after the tables
  // before run_logs (operations, runs) went over.
  from.raw_sql("UPDATE run_logs SET message = CAST(X'FF' AS TEXT) WHERE run_id = 5");
  StoreOptions a, b;
  a.url = from.url();
  b.url = to.url();
  auto r = copy_store(a, b);
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == Code::kIo);
  auto info = store_info(b);
  REQUIRE(info);
  for (const auto& t : info->tables) {
    INFO(t.table);
    CHECK(t.rows == 0);
  }
}

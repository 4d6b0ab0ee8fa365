#include <catch2/catch.hpp>

#include "engine/calendar/civil_date.h"
#include "engine/kpi/kpi.h"
#include "tests/support/store_backend.h"

using namespace jimu;
using jimu::testing::TempDir;
using jimu::testing::TestStore;

namespace {

// ms of a Japanese local time.
int64_t jst(int y, int mo, int d, int h = 12, int mi = 0, int s = 0) {
  return (CivilDate{y, mo, d}.days_since_epoch() * 86400 + h * 3600 + mi * 60 + s - 9 * 3600) * 1000;
}

// A store on the backend the test is generated for (every KPI test runs on SQLite and
// PostgreSQL: the figures come from the store's SQL).
struct Fixture {
  TestStore ts;
  std::unique_ptr<Store> store;
  explicit Fixture(const std::string& backend) : ts(backend) { store = ts.open(); }
  void op(const std::string& id, const std::string& division, OperationKind kind, double minutes,
          bool manual = false, const std::string& go_live = "2020-04-01",
          std::optional<std::string> retired = {}) {
    Operation o;
    o.id = id;
    o.name = "業務 " + id;
    o.division = division;
    o.kind = kind;
    o.minutes_per_item = minutes;
    o.manual = manual;
    o.go_live = go_live;
    o.retired = retired;
    REQUIRE(store->add_operation(o, "t"));
  }
  void run(std::optional<std::string> op, int64_t at, RunStatus status, int64_t items, bool dry = false) {
    RunStart s;
    s.workflow_id = "wf";
    s.workflow_name = "wf";
    s.workflow_path = "/wf.lua";
    s.operation = op;
    s.dry_run = dry;
    s.actor = "t";
    s.owner = "o";
    s.started_at = at;
    auto id = store->begin_run(s);
    REQUIRE(id);
    if (status != RunStatus::kRunning) {
      REQUIRE(store->finish_run(*id, status == RunStatus::kInterrupted ? RunStatus::kFailed : status,
                                items, at + 1000, "", "", {}));
    }
  }
  void decision(const std::string& id, const std::string& division, const std::string& day,
                const std::string& method, const std::string& reason = "") {
    REQUIRE(store->record_decision({id, division, day, method, reason}, "t", 1));
  }
  void receipt(const std::string& id, const std::string& division, const std::string& day,
               bool electronic) {
    REQUIRE(store->record_receipt({id, division, day, electronic}, "t", 1));
  }
  // One of jimu's own routes, finished (approved, rejected or withdrawn) at finished_at.
  void route(const std::string& id, const std::string& division, const std::string& state,
             int64_t finished_at) {
    ApprovalDocument d;
    d.id = id;
    d.title = "起案 " + id;
    d.category = "一般";
    d.division = division;
    d.drafter = "u1";
    d.state = state;
    d.created_at = d.updated_at = finished_at - 1000;
    d.finished_at = finished_at;
    ApprovalStep s;
    s.step_no = 1;
    s.state = state == "withdrawn" ? "waiting" : state;
    s.assignees.push_back({"u2", state == "withdrawn" ? "" : state, false});
    d.steps.push_back(s);
    ApprovalEvent e;
    e.at = d.created_at;
    e.actor = "u1";
    e.action = "submit";
    REQUIRE(store->approval_create(d, e));
  }
  KpiReport kpi(int fy, KpiOptions o = {}) {
    auto r = compute_kpi(*store, fy, o);
    REQUIRE(r);
    return *r;
  }
};

}  // namespace

TEST_CASE("kpi: March 31 23:59:59 belongs to the old fiscal year, April 1 00:00 to the new", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("GYO-1", "税務課", OperationKind::kRpa, 1);
  f.op("GYO-2", "市民課", OperationKind::kRpa, 1);
  f.run("GYO-1", jst(2027, 3, 31, 23, 59, 59), RunStatus::kSucceeded, 10);
  f.run("GYO-2", jst(2027, 4, 1, 0, 0, 0), RunStatus::kSucceeded, 20);
  KpiReport fy26 = f.kpi(2026);
  CHECK(fy26.operations_counted == 1);
  CHECK(fy26.items == 10);
  CHECK(fy26.by_month.back().month == "2027-03");
  CHECK(fy26.by_month.back().runs == 1);
  KpiReport fy27 = f.kpi(2027);
  CHECK(fy27.operations_counted == 1);
  CHECK(fy27.items == 20);
  CHECK(fy27.by_month.front().month == "2027-04");
  CHECK(fy27.by_month.front().items == 20);
}

TEST_CASE("kpi: a fiscal year in which the era changed counts runs of both eras", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("GYO-1", "税務課", OperationKind::kRpa, 1);
  f.op("GYO-2", "税務課", OperationKind::kRpa, 1);
  f.run("GYO-1", jst(2019, 4, 30), RunStatus::kSucceeded, 1);  // 平成31年4月30日
  f.run("GYO-2", jst(2019, 5, 1), RunStatus::kSucceeded, 1);   // 令和元年5月1日
  KpiReport r = f.kpi(2019);
  CHECK(r.label == "令和元年度");
  CHECK(r.from == "2019-04-01");
  CHECK(r.to == "2020-03-31");
  CHECK(r.operations_counted == 2);
  CHECK(r.by_month[0].operations_cumulative == 1);
  CHECK(r.by_month[1].operations_cumulative == 2);
}

TEST_CASE("kpi: dry, failed, interrupted and running runs never count an operation", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("GYO-1", "税務課", OperationKind::kRpa, 2);
  f.run("GYO-1", jst(2026, 5, 1), RunStatus::kSucceeded, 100, /*dry=*/true);
  f.run("GYO-1", jst(2026, 5, 2), RunStatus::kFailed, 50);
  f.run("GYO-1", jst(2026, 5, 3), RunStatus::kRunning, 0);
  KpiReport r = f.kpi(2026);
  CHECK(r.operations_counted == 0);
  CHECK(r.runs_total == 2);  // the dry run is not a production run
  CHECK(r.runs_failed == 1);
  CHECK(r.runs_running == 1);
  CHECK(r.items == 0);
  CHECK(r.hours_saved == 0);
  f.run("GYO-1", jst(2026, 5, 4), RunStatus::kSucceeded, 30);
  r = f.kpi(2026);
  CHECK(r.operations_counted == 1);
  CHECK(r.hours_saved == Approx(1.0));  // 30 items x 2 min / 60
}

TEST_CASE("kpi: hours saved, per division and per kind", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("GYO-1", "税務課", OperationKind::kRpa, 3);
  f.op("GYO-2", "税務課", OperationKind::kAi, 0.5);
  f.op("GYO-3", "市民課", OperationKind::kRpa, 6);
  f.run("GYO-1", jst(2026, 6, 1), RunStatus::kSucceeded, 120);
  f.run("GYO-1", jst(2026, 7, 1), RunStatus::kSucceeded, 80);
  f.run("GYO-2", jst(2026, 6, 1), RunStatus::kSucceeded, 600);
  f.run("GYO-3", jst(2026, 8, 1), RunStatus::kFailed, 10);
  f.run(std::nullopt, jst(2026, 8, 1), RunStatus::kSucceeded, 5);
  KpiReport r = f.kpi(2026);
  CHECK(r.operations_counted == 2);
  CHECK(r.by_kind[OperationKind::kRpa] == 1);
  CHECK(r.by_kind[OperationKind::kAi] == 1);
  CHECK(r.runs_total == 5);
  CHECK(r.runs_without_operation == 1);
  CHECK(r.items == 805);
  CHECK(r.hours_saved == Approx(200 * 3 / 60.0 + 600 * 0.5 / 60.0));  // 15 h
  REQUIRE(r.by_division.size() == 2);
  CHECK(r.by_division[0].division == "市民課");
  CHECK(r.by_division[0].operations == 0);
  CHECK(r.by_division[0].runs == 1);
  CHECK(r.by_division[1].division == "税務課");
  CHECK(r.by_division[1].operations == 2);
  CHECK(r.by_division[1].hours_saved == Approx(15.0));
}

TEST_CASE("kpi: the kinds to count are configurable", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("GYO-1", "税務課", OperationKind::kRpa, 1);
  f.op("GYO-2", "税務課", OperationKind::kOtherIct, 1);
  f.run("GYO-1", jst(2026, 6, 1), RunStatus::kSucceeded, 1);
  f.run("GYO-2", jst(2026, 6, 1), RunStatus::kSucceeded, 1);
  KpiOptions rpa_only;
  rpa_only.kinds = {OperationKind::kRpa};
  CHECK(f.kpi(2026).operations_counted == 2);
  CHECK(f.kpi(2026, rpa_only).operations_counted == 1);
}

TEST_CASE("kpi: operations done by other tools count while active in the year", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("M-1", "企画課", OperationKind::kOtherIct, 0, true, "2026-10-15");
  f.op("M-2", "企画課", OperationKind::kAi, 0, true, "2020-04-01", std::string("2026-03-31"));
  f.op("M-3", "企画課", OperationKind::kAi, 0, true, "2020-04-01", std::string("2026-04-01"));
  f.op("M-4", "企画課", OperationKind::kAi, 0, true, "2027-04-01");
  KpiReport r = f.kpi(2026);
  CHECK(r.operations_counted == 2);  // M-1 (went live mid-year) and M-3 (retired on day one)
  CHECK(r.by_month[5].operations_cumulative == 1);  // 2026-09: only M-3
  CHECK(r.by_month[6].operations_cumulative == 2);  // 2026-10: M-1 too
  // A manual operation never counts through runs.
  CHECK(r.runs_total == 0);
}

TEST_CASE("kpi: the same store gives the same report", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("GYO-1", "税務課", OperationKind::kRpa, 1.5);
  f.run("GYO-1", jst(2025, 12, 1), RunStatus::kSucceeded, 7);
  KpiOptions o;
  o.targets["operations"] = {3.0, 11.0};
  std::string first = kpi_to_json(f.kpi(2025, o));
  CHECK(kpi_to_json(f.kpi(2025, o)) == first);
  CHECK(kpi_to_csv(f.kpi(2025, o)) == kpi_to_csv(f.kpi(2025, o)));
}

TEST_CASE("kpi: JSON has the fields of DESIGN.md with baseline and target beside the count", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("GYO-1", "税務課", OperationKind::kRpa, 6);
  f.run("GYO-1", jst(2026, 4, 1, 9), RunStatus::kSucceeded, 10);
  KpiOptions o;
  o.targets["operations"] = {3.0, 11.0};
  std::string j = kpi_to_json(f.kpi(2026, o));
  CHECK(j.rfind("{\"fiscal_year\":2026,\"label\":\"令和8年度\",\"from\":\"2026-04-01\",\"to\":\"2027-03-31\","
                "\"operations\":{\"counted\":1,\"by_kind\":{\"rpa\":1,\"ai\":0,\"other_ict\":0},"
                "\"baseline\":3,\"target\":11,\"list\":[{\"id\":\"GYO-1\"", 0) == 0);
  CHECK(j.find("\"runs\":{\"total\":1,\"succeeded\":1,\"failed\":0,\"interrupted\":0") != std::string::npos);
  CHECK(j.find("\"items\":10,\"hours_saved\":1,") != std::string::npos);
  CHECK(j.find("\"by_division\":[{\"division\":\"税務課\",\"operations\":1,\"runs\":1,\"items\":10,\"hours_saved\":1}]") != std::string::npos);
  CHECK(j.find("\"by_month\":[{\"month\":\"2026-04\",\"runs\":1,\"succeeded\":1,\"failed\":0,\"items\":10,\"operations_cumulative\":1}") != std::string::npos);
  CHECK(j.find("\"approval\":{\"electronic_rate\":null,\"decided\":0,\"electronic\":0,"
               "\"paper\":0,\"excluded\":0,\"routed\":0,\"baseline\":null,\"target\":null,"
               "\"by_division\":[]},\"receipt\":{\"paperless_rate\":null,\"received\":0,"
               "\"electronic\":0,\"baseline\":null,\"target\":null,\"by_division\":[]}}\n") !=
        std::string::npos);
}

TEST_CASE("kpi: a decision on March 31 counts in the old fiscal year, April 1 in the new", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.decision("R-1", "総務課", "2027-03-31", "paper");
  f.decision("R-2", "総務課", "2027-04-01", "electronic");
  f.receipt("R-3", "総務課", "2026-04-01", true);
  f.receipt("R-4", "総務課", "2027-04-01", false);
  // jimu's own routes by the Japanese local day of their decision (23:59:59 JST is still March).
  f.route("D-1", "税務課", "approved", jst(2027, 3, 31, 23, 59, 59));
  f.route("D-2", "税務課", "rejected", jst(2027, 4, 1, 0, 0, 0));
  KpiReport fy26 = f.kpi(2026);
  CHECK(fy26.approval.decided == 2);
  CHECK(fy26.approval.paper == 1);
  CHECK(fy26.approval.electronic == 1);
  CHECK(fy26.approval.routed == 1);
  CHECK(fy26.approval.electronic_rate == 50.0);
  CHECK(fy26.receipt.received == 1);
  CHECK(fy26.receipt.paperless_rate == 100.0);
  KpiReport fy27 = f.kpi(2027);
  CHECK(fy27.approval.decided == 2);
  CHECK(fy27.approval.electronic == 2);
  CHECK(fy27.approval.routed == 1);
  CHECK(fy27.approval.electronic_rate == 100.0);
  CHECK(fy27.receipt.received == 1);
  CHECK(fy27.receipt.paperless_rate == 0.0);
}

TEST_CASE("kpi: excluded documents leave the denominator of the electronic approval rate", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.decision("R-1", "総務課", "2026-05-01", "electronic");
  f.decision("R-2", "総務課", "2026-05-02", "paper");
  f.decision("R-3", "総務課", "2026-05-03", "paper");
  f.decision("R-4", "総務課", "2026-05-04", "excluded", "図面原本（A1判）の添付があるため");
  KpiReport r = f.kpi(2026);
  CHECK(r.approval.decided == 4);
  CHECK(r.approval.excluded == 1);
  REQUIRE(r.approval.electronic_rate);
  CHECK(*r.approval.electronic_rate == Approx(100.0 / 3));
  CHECK(kpi_to_json(r).find("\"electronic_rate\":33.3,") != std::string::npos);
}

TEST_CASE("kpi: only excluded documents leave the electronic approval rate undefined", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.decision("R-1", "総務課", "2026-05-01", "excluded", "秘密文書");
  KpiReport r = f.kpi(2026);
  CHECK(r.approval.decided == 1);
  CHECK_FALSE(r.approval.electronic_rate);
  CHECK_FALSE(r.receipt.paperless_rate);
  CHECK(kpi_to_json(r).find("\"approval\":{\"electronic_rate\":null,\"decided\":1,") !=
        std::string::npos);
}

TEST_CASE("kpi: recording the same document again replaces it, never counts it twice", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.decision("R-1", "総務課", "2026-05-01", "paper");
  f.decision("R-1", "総務課", "2026-05-01", "electronic");
  f.receipt("R-9", "総務課", "2026-05-01", false);
  f.receipt("R-9", "総務課", "2026-05-01", true);
  KpiReport r = f.kpi(2026);
  CHECK(r.approval.decided == 1);
  CHECK(r.approval.electronic == 1);
  CHECK(r.approval.paper == 0);
  CHECK(r.receipt.received == 1);
  CHECK(r.receipt.electronic == 1);
}

TEST_CASE("kpi: jimu's decided routes are electronic; withdrawn and open ones do not count", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.route("D-1", "道路管理課", "approved", jst(2026, 11, 30, 10));
  f.route("D-2", "道路管理課", "rejected", jst(2026, 12, 1, 10));
  f.route("D-3", "道路管理課", "withdrawn", jst(2026, 12, 2, 10));
  // A route also recorded from the export counts once, as the recorded decision.
  f.route("R-7", "道路管理課", "approved", jst(2026, 12, 3, 10));
  f.decision("R-7", "道路管理課", "2026-12-03", "electronic");
  KpiReport r = f.kpi(2026);
  CHECK(r.approval.decided == 3);
  CHECK(r.approval.routed == 2);
  CHECK(r.approval.electronic == 3);
  CHECK(r.approval.electronic_rate == 100.0);
}

TEST_CASE("kpi: electronic approval and paperless receipt rates per division", "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.decision("R-1", "総務課", "2026-06-01", "electronic");
  f.decision("R-2", "総務課", "2026-06-01", "paper");
  f.decision("R-3", "福祉政策課", "2026-06-01", "paper");
  f.receipt("R-1", "総務課", "2026-06-01", true);
  f.receipt("R-2", "総務課", "2026-06-01", true);
  f.receipt("R-3", "福祉政策課", "2026-06-01", false);
  f.receipt("R-4", "福祉政策課", "2026-06-01", true);
  KpiOptions o;
  o.targets["approval_rate"] = {40.0, 100.0};
  o.targets["receipt_rate"] = {KpiTarget{std::nullopt, 100.0}};
  KpiReport r = f.kpi(2026, o);
  REQUIRE(r.approval_by_division.size() == 2);
  CHECK(r.approval_by_division[0].division == "福祉政策課");
  CHECK(r.approval_by_division[0].electronic_rate == 0.0);
  CHECK(r.approval_by_division[1].division == "総務課");
  CHECK(r.approval_by_division[1].electronic_rate == 50.0);
  REQUIRE(r.receipt_by_division.size() == 2);
  CHECK(r.receipt_by_division[0].paperless_rate == 50.0);
  CHECK(r.receipt_by_division[1].paperless_rate == 100.0);
  std::string j = kpi_to_json(r);
  CHECK(j.find("\"approval\":{\"electronic_rate\":33.3,\"decided\":3,\"electronic\":1,"
               "\"paper\":2,\"excluded\":0,\"routed\":0,\"baseline\":40,\"target\":100,"
               "\"by_division\":[{\"division\":\"福祉政策課\",\"electronic_rate\":0,\"decided\":1,"
               "\"electronic\":0,\"paper\":1,\"excluded\":0,\"routed\":0},{\"division\":\"総務課\","
               "\"electronic_rate\":50,") != std::string::npos);
  CHECK(j.find("\"receipt\":{\"paperless_rate\":75,\"received\":4,\"electronic\":3,"
               "\"baseline\":null,\"target\":100,\"by_division\":[{\"division\":\"福祉政策課\","
               "\"paperless_rate\":50,\"received\":2,\"electronic\":1}") != std::string::npos);
  std::string t = kpi_to_text(r);
  CHECK(t.find("33.3%  (電子 1 / 紙 2 / 対象外 0 / 決裁 3)  (基準 40 → 目標 100)") != std::string::npos);
  CHECK(t.find("75.0%  (電子 3 / 収受 4)  (目標 100)") != std::string::npos);
  std::string c = kpi_to_csv(r);
  CHECK(c.find("summary,2026,electronic_approval_rate,33.3,40,100\r\n") != std::string::npos);
  CHECK(c.find("summary,2026,paperless_receipt_rate,75.0,,100\r\n") != std::string::npos);
  CHECK(c.find("division,総務課,electronic_approval_rate,50.0,,\r\n") != std::string::npos);
}

TEST_CASE("kpi: the year's failed runs are listed newest first, without dry or other years' runs",
          "[kpi]") {
  Fixture f(JIMU_STORE_BACKEND());
  f.op("GYO-1", "税務課<b>", OperationKind::kRpa, 6);
  auto failed = [&](std::optional<std::string> op, int64_t at, const std::string& error,
                    bool dry = false) {
    RunStart s;
    s.workflow_id = "wf";
    s.workflow_name = "口座振替①";
    s.workflow_path = "/wf.lua";
    s.operation = op;
    s.dry_run = dry;
    s.actor = s.owner = "t";
    s.started_at = at;
    auto id = f.store->begin_run(s);
    REQUIRE(id);
    REQUIRE(f.store->finish_run(*id, RunStatus::kFailed, 3, at + 2000, error, "tb", {}));
    return *id;
  };
  int64_t a = failed("GYO-1", jst(2026, 4, 1, 0, 0, 0), "in/a.csv:7: 髙橋 ～");
  int64_t b = failed(std::nullopt, jst(2027, 3, 31, 23, 59, 59), "b");
  failed("GYO-1", jst(2027, 4, 1, 0, 0, 0), "next year");
  failed("GYO-1", jst(2026, 6, 1), "dry", true);
  f.run("GYO-1", jst(2026, 5, 1), RunStatus::kSucceeded, 10);

  CHECK(f.kpi(2026).failures.empty());  // not asked for: a dashboard pays nothing
  KpiOptions o;
  o.failures_limit = 10;
  KpiReport r = f.kpi(2026, o);
  REQUIRE(r.failures.size() == 2);
  CHECK(r.failures[0].run_id == b);
  CHECK(r.failures[0].operation == "");
  CHECK(r.failures[0].division == "");
  CHECK(r.failures[0].started == "2027-03-31 23:59:59");
  CHECK(r.failures[1].run_id == a);
  CHECK(r.failures[1].started == "2026-04-01 00:00:00");
  CHECK(r.failures[1].ended == "2026-04-01 00:00:02");
  CHECK(r.failures[1].workflow_name == "口座振替①");
  CHECK(r.failures[1].operation == "GYO-1");
  CHECK(r.failures[1].division == "税務課<b>");
  CHECK(r.failures[1].status == "failed");
  CHECK(r.failures[1].items == 3);
  CHECK(r.failures[1].error == "in/a.csv:7: 髙橋 ～");
  o.failures_limit = 1;
  r = f.kpi(2026, o);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].run_id == b);
  CHECK(kpi_to_json(r).find("\"failures\":{\"total\":2,\"listed\":1,\"list\":[{\"run_id\":" +
                            std::to_string(b) + ",\"started\":\"2027-03-31 23:59:59\"") !=
        std::string::npos);
}

// The store's recorded documents (decisions and receipts from the document-management system's
// export): validation, replacement on re-recording, audit entries, aggregation by local day.
#include <catch2/catch.hpp>

#include <map>

#include "engine/store/store.h"
#include "tests/support/store_backend.h"

// On SQLite and PostgreSQL alike (JIMU_STORE_BACKEND).
using namespace jimu;
using jimu::testing::TestStore;

namespace {


std::vector<AuditEntry> audit_of(Store& s) {
  std::vector<AuditEntry> out;
  REQUIRE(s.scan_audit([&](const AuditEntry& e) {
    out.push_back(e);
    return true;
  }));
  return out;
}

}  // namespace

TEST_CASE("store: a recorded decision is checked field by field", "[store][documents]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto s = ts.open();
  auto check = [&](RecordedDecision r, const std::string& message) {
    Status st = s->record_decision(r, "t", 1);
    CHECK(st.code() == Code::kInvalid);
    CHECK(st.message() == message);
  };
  check({"", "総務課", "2026-11-30", "paper", ""}, "decision: id is empty");
  check({"R-1", "", "2026-11-30", "paper", ""}, "decision R-1: division is empty");
  check({"R-1", "総務課", "2026-11-31", "paper", ""},
        "decision R-1: decided_on '2026-11-31' is not a date like 2026-11-30");
  check({"R-1", "総務課", "2026/11/30", "paper", ""},
        "decision R-1: decided_on '2026/11/30' is not a date like 2026-11-30");
  check({"R-1", "総務課", "2026-11-30", "fax", ""},
        "decision R-1: method 'fax' is not electronic, paper or excluded");
  check({"R-1", "総務課", "2026-11-30", "excluded", ""},
        "decision R-1: an excluded document needs its reason");
  Status bad = s->record_receipt({"R-2", "総務課", "令和8年11月2日", true}, "t", 1);
  CHECK(bad.code() == Code::kInvalid);
  CHECK(bad.message() == "receipt R-2: received_on '令和8年11月2日' is not a date like 2026-11-30");
  auto facts = s->document_facts("2026-04-01", "2027-03-31");
  REQUIRE(facts);
  CHECK(facts->empty());
  CHECK(audit_of(*s).empty());
}

TEST_CASE("store: recording a document again replaces it, with an audit entry each time",
          "[store][documents]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto s = ts.open();
  REQUIRE(s->record_decision({"R-1", "総務課", "2026-11-30", "paper", ""}, "import", 10));
  REQUIRE(s->record_decision({"R-1", "総務課", "2026-12-01", "excluded", "原本照合が必要"}, "import", 20));
  REQUIRE(s->record_receipt({"R-1", "総務課", "2026-11-02", true}, "import", 30));
  REQUIRE(s->record_receipt({"R-1", "総務課", "2026-11-02", true}, "import", 40));
  auto facts = s->document_facts("2026-04-01", "2027-03-31");
  REQUIRE(facts);
  REQUIRE(facts->size() == 2);
  CHECK((*facts)[0].kind == "excluded");
  CHECK((*facts)[0].count == 1);
  CHECK((*facts)[1].kind == "received_electronic");
  CHECK((*facts)[1].count == 1);
  auto audit = audit_of(*s);
  REQUIRE(audit.size() == 4);
  CHECK(audit[0].action == "document.decision");
  CHECK(audit[0].subject == "document:R-1");
  CHECK(audit[0].actor == "import");
  CHECK(audit[0].detail ==
        "{\"division\":\"総務課\",\"decided_on\":\"2026-11-30\",\"method\":\"paper\",\"reason\":\"\","
        "\"replaced\":false}");
  CHECK(audit[1].detail ==
        "{\"division\":\"総務課\",\"decided_on\":\"2026-12-01\",\"method\":\"excluded\","
        "\"reason\":\"原本照合が必要\",\"replaced\":true}");
  CHECK(audit[3].action == "document.receipt");
  CHECK(audit[3].detail ==
        "{\"division\":\"総務課\",\"received_on\":\"2026-11-02\",\"electronic\":true,"
        "\"replaced\":true}");
}

TEST_CASE("store: document facts are grouped by division and kind within the days given",
          "[store][documents]") {
  TestStore ts(JIMU_STORE_BACKEND());
  auto s = ts.open();
  REQUIRE(s->record_decision({"R-1", "総務課", "2026-03-31", "paper", ""}, "t", 1));
  REQUIRE(s->record_decision({"R-2", "総務課", "2026-04-01", "paper", ""}, "t", 1));
  REQUIRE(s->record_decision({"R-3", "総務課", "2026-04-02", "paper", ""}, "t", 1));
  REQUIRE(s->record_decision({"R-4", "㈱髙橋課", "2027-03-31", "electronic", ""}, "t", 1));
  REQUIRE(s->record_decision({"R-5", "総務課", "2027-04-01", "electronic", ""}, "t", 1));
  REQUIRE(s->record_receipt({"R-6", "総務課", "2026-04-01", false}, "t", 1));
  auto facts = s->document_facts("2026-04-01", "2027-03-31");
  REQUIRE(facts);
  std::map<std::string, int64_t> by;
  for (const auto& f : *facts) by[f.division + "/" + f.kind] += f.count;
  CHECK(by == std::map<std::string, int64_t>{{"総務課/paper", 2},
                                             {"㈱髙橋課/electronic", 1},
                                             {"総務課/received_paper", 1}});
  auto bad = s->document_facts("2026-04-01", "2027-02-30");
  CHECK(bad.status().code() == Code::kInvalid);
}

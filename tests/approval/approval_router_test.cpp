#include <catch2/catch.hpp>

#include <thread>

#include "engine/store/audit_chain.h"
#include "tests/approval/approval_fixture.h"

using namespace jimu;
using jimu::testing::ApprovalFixture;
using jimu::testing::jst_9am;
using jimu::testing::step_of;

namespace {

// Asserts that s is a refusal with exactly message and code.
void check_refused(const Status& s, const std::string& message, Code code = Code::kRejected) {
  INFO(s.to_string());
  CHECK_FALSE(s.is_ok());
  CHECK(s.message() == message);
  CHECK(s.code() == code);
}

std::vector<std::string> decisions(const ApprovalStep& s) {
  std::vector<std::string> out;
  for (const auto& a : s.assignees) out.push_back(a.approver + ":" + a.decision);
  return out;
}

}  // namespace

TEST_CASE("approval: a document passes its steps in order to the final decision", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"kakaricho.髙橋"}), step_of({"kacho.tanaka"})});
  CHECK(id == "D-1");
  ApprovalDocument d = f.doc(id);
  CHECK(d.state == "in_progress");
  CHECK(d.current_step == 1);
  CHECK(d.steps[0].state == "active");
  CHECK(d.steps[0].due_date == "2026-11-27");  // Tuesday + 3 business days
  CHECK(d.steps[1].state == "waiting");

  REQUIRE(f.router->approve(id, "kakaricho.髙橋", "確認しました"));
  d = f.doc(id);
  CHECK(d.current_step == 2);
  CHECK(d.steps[0].state == "approved");
  CHECK(d.steps[1].state == "active");
  CHECK(f.listener.finished.empty());

  REQUIRE(f.router->approve(id, "kacho.tanaka", ""));
  d = f.doc(id);
  CHECK(d.state == "approved");
  CHECK(d.finished_at.has_value());
  REQUIRE(f.listener.finished.size() == 1);
  CHECK(f.listener.finished[0] == std::pair<std::string, std::string>{"D-1", "approved"});

  auto h = f.history(id);
  REQUIRE(h.size() == 3);
  CHECK(h[0].action == "submit");
  CHECK(h[0].actor == "yamada");
  CHECK(h[1].action == "approve");
  CHECK(h[1].actor == "kakaricho.髙橋");
  CHECK(h[1].step_no == 1);
  CHECK(h[1].comment == "確認しました");
  CHECK(h[2].step_no == 2);
}

TEST_CASE("approval: acting out of turn, twice, or on a finished document is refused and changes "
          "nothing",
          "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"tanaka"}), step_of({"suzuki", "sato"}),
                             step_of({"kacho"})},
                            "D-12");
  check_refused(f.router->approve(id, "sato", ""),
                "document D-12: step 1 is waiting for tanaka, not sato");
  REQUIRE(f.router->approve(id, "tanaka", ""));
  check_refused(f.router->approve(id, "tanaka", ""),
                "document D-12: tanaka has already approved step 1");
  REQUIRE(f.router->approve(id, "suzuki", ""));
  ApprovalDocument before = f.doc(id);
  size_t events = f.history(id).size();
  check_refused(f.router->approve(id, "suzuki", ""),
                "document D-12: suzuki has already approved step 2");
  check_refused(f.router->approve(id, "kacho", ""),
                "document D-12: step 2 is waiting for sato, not kacho");
  check_refused(f.router->reject(id, "nobody", "x"),
                "document D-12: step 2 is waiting for sato, not nobody");
  check_refused(f.router->approve("D-99", "sato", ""), "document D-99 does not exist",
                Code::kNotFound);
  ApprovalDocument after = f.doc(id);
  CHECK(after.steps == before.steps);
  CHECK(after.updated_at == before.updated_at);
  CHECK(f.history(id).size() == events);

  REQUIRE(f.router->approve(id, "sato", ""));
  REQUIRE(f.router->approve(id, "kacho", ""));
  check_refused(f.router->approve(id, "kacho", ""), "document D-12 is already decided (approved)");
  check_refused(f.router->reject(id, "kacho", "やはり"),
                "document D-12 is already decided (approved)");
  check_refused(f.router->withdraw(id, "yamada", ""), "document D-12 is already decided (approved)");
  CHECK(f.listener.finished.size() == 1);
}

TEST_CASE("approval: a parallel group (合議) may need all, any one, or a quorum", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  SECTION("all") {
    std::string id = f.submit({step_of({"a", "b", "c"}, "all"), step_of({"z"})});
    REQUIRE(f.router->approve(id, "b", ""));
    REQUIRE(f.router->approve(id, "a", ""));
    CHECK(f.doc(id).current_step == 1);
    REQUIRE(f.router->approve(id, "c", ""));
    CHECK(f.doc(id).current_step == 2);
  }
  SECTION("any") {
    std::string id = f.submit({step_of({"a", "b", "c"}, "any"), step_of({"z"})});
    REQUIRE(f.router->approve(id, "c", ""));
    ApprovalDocument d = f.doc(id);
    CHECK(d.current_step == 2);
    CHECK(decisions(d.steps[0]) == std::vector<std::string>{"a:", "b:", "c:approved"});
    CHECK_FALSE(d.steps[0].assignees[0].pending);
    check_refused(f.router->approve(id, "a", ""), "document D-1: step 2 is waiting for z, not a");
  }
  SECTION("quorum") {
    std::string id = f.submit({step_of({"a", "b", "c"}, "quorum", 2), step_of({"z"})});
    REQUIRE(f.router->approve(id, "a", ""));
    CHECK(f.doc(id).current_step == 1);
    REQUIRE(f.router->approve(id, "c", ""));
    CHECK(f.doc(id).current_step == 2);
    CHECK(f.doc(id).steps[0].required == 2);
  }
  SECTION("a rejection rejects only once the quorum cannot be reached") {
    std::string id = f.submit({step_of({"a", "b", "c"}, "quorum", 2), step_of({"z"})});
    REQUIRE(f.router->reject(id, "a", "金額に疑義"));
    CHECK(f.doc(id).state == "in_progress");
    check_refused(f.router->reject(id, "a", "again"), "document D-1: a has already rejected step 1");
    REQUIRE(f.router->reject(id, "b", "同意見"));
    ApprovalDocument d = f.doc(id);
    CHECK(d.state == "rejected");
    CHECK(d.steps[0].state == "rejected");
    CHECK_FALSE(d.steps[0].assignees[2].pending);
    REQUIRE(f.listener.finished.size() == 1);
    CHECK(f.listener.finished[0].second == "rejected");
    check_refused(f.router->approve(id, "c", ""), "document D-1 is already decided (rejected)");
  }
}

TEST_CASE("approval: a rejection and a send-back need a comment", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"tanaka"})});
  check_refused(f.router->reject(id, "tanaka", " "),
                "document D-1: a rejection needs a comment saying why", Code::kInvalid);
  check_refused(f.router->send_back(id, "tanaka", 0, ""),
                "document D-1: sending back needs a comment saying why", Code::kInvalid);
  CHECK(f.history(id).size() == 1);
}

TEST_CASE("approval: a deciding step (専決) ends the route when it approves", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"kakaricho"}), step_of({"kacho"}, "all", 0, 3, true)});
  REQUIRE(f.router->approve(id, "kakaricho", ""));
  REQUIRE(f.router->approve(id, "kacho", "課長専決"));
  CHECK(f.doc(id).state == "approved");
  CHECK(f.listener.finished.size() == 1);

  // A route with steps after a deciding step is refused: they could never be reached.
  Submission sub;
  sub.document = {"", "t", "c", 1, "d", "yamada"};
  sub.route = Route{{step_of({"a"}, "all", 0, 3, true), step_of({"b"})}};
  auto r = f.router->submit(sub);
  REQUIRE_FALSE(r);
  CHECK(r.status().message() ==
        "document: route: step 2: can never be reached: step 1 decides (専決) and ends the route");
}

TEST_CASE("approval: sent back to the drafter, resubmitted, the route starts again", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"kakaricho"}), step_of({"kacho"})});
  REQUIRE(f.router->approve(id, "kakaricho", ""));
  check_refused(f.router->send_back(id, "kacho", 2, "x"),
                "document D-1: step 2 can send back only to the drafter or to steps 1 to 1, not "
                "to step 2",
                Code::kInvalid);
  REQUIRE(f.router->send_back(id, "kacho", 0, "見積書を添付してください"));
  ApprovalDocument d = f.doc(id);
  CHECK(d.state == "sent_back");
  CHECK(d.steps[0].state == "waiting");
  CHECK(decisions(d.steps[0]) == std::vector<std::string>{"kakaricho:"});
  check_refused(f.router->approve(id, "kacho", ""),
                "document D-1 is sent back to its drafter yamada and waits for resubmission");
  check_refused(f.router->resubmit(id, "kacho", ""),
                "document D-1: only its drafter yamada may resubmit it, not kacho");
  auto inbox = f.router->inbox("yamada");
  REQUIRE(inbox);
  REQUIRE(inbox->size() == 1);
  CHECK((*inbox)[0].action == "resubmit");

  f.clock.set_ms(jst_9am(2026, 11, 27));  // Friday
  REQUIRE(f.router->resubmit(id, "yamada", "添付しました"));
  d = f.doc(id);
  CHECK(d.state == "in_progress");
  CHECK(d.current_step == 1);
  CHECK(d.steps[0].activation == 2);
  CHECK(d.steps[0].due_date == "2026-12-02");  // Friday + 3 business days
  check_refused(f.router->resubmit(id, "yamada", ""),
                "document D-1 is not sent back; it waits at step 1");
  REQUIRE(f.router->approve(id, "kakaricho", ""));
  REQUIRE(f.router->approve(id, "kacho", ""));
  CHECK(f.doc(id).state == "approved");
  auto h = f.history(id);
  REQUIRE(h.size() == 6);
  CHECK(h[2].action == "send_back");
  CHECK(h[2].step_no == 2);
  CHECK(h[2].target_step == 0);
  CHECK(h[2].comment == "見積書を添付してください");
  CHECK(h[3].action == "resubmit");
  CHECK(h[3].comment == "添付しました");
}

TEST_CASE("approval: sent back to an earlier step, the route continues from there", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"a"}), step_of({"b", "c"}), step_of({"d"})});
  REQUIRE(f.router->approve(id, "a", ""));
  REQUIRE(f.router->approve(id, "b", ""));
  REQUIRE(f.router->approve(id, "c", ""));
  REQUIRE(f.router->send_back(id, "d", 2, "再確認を"));
  ApprovalDocument d = f.doc(id);
  CHECK(d.state == "in_progress");
  CHECK(d.current_step == 2);
  CHECK(d.steps[0].state == "approved");
  CHECK(d.steps[1].state == "active");
  CHECK(d.steps[1].activation == 2);
  CHECK(decisions(d.steps[1]) == std::vector<std::string>{"b:", "c:"});
  CHECK(d.steps[2].state == "waiting");
  // b approved step 2 before the send-back; that approval no longer counts.
  REQUIRE(f.router->approve(id, "b", ""));
  REQUIRE(f.router->approve(id, "c", ""));
  REQUIRE(f.router->approve(id, "d", ""));
  CHECK(f.doc(id).state == "approved");
}

TEST_CASE("approval: the drafter withdraws (引戻し); nobody else may", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"a"}), step_of({"b"})});
  check_refused(f.router->withdraw(id, "a", ""),
                "document D-1: only its drafter yamada may withdraw it, not a");
  REQUIRE(f.router->withdraw(id, "yamada", "予算の組替えのため"));
  ApprovalDocument d = f.doc(id);
  CHECK(d.state == "withdrawn");
  CHECK(d.steps[0].state == "waiting");
  CHECK_FALSE(d.steps[0].assignees[0].pending);
  check_refused(f.router->approve(id, "a", ""), "document D-1 is already withdrawn by its drafter");
  check_refused(f.router->withdraw(id, "yamada", ""),
                "document D-1 is already withdrawn by its drafter");
  REQUIRE(f.listener.finished.size() == 1);
  CHECK(f.listener.finished[0].second == "withdrawn");
  CHECK(f.router->inbox("a")->empty());
}

TEST_CASE("approval: 代決 is recorded as such and owes the absent approver an after-review (後閲)",
          "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"hosa"}), step_of({"kacho"})});
  REQUIRE(f.router->approve(id, "hosa", ""));
  check_refused(f.router->approve(id, "outsider", "", "kacho"),
                "document D-1: outsider may not decide on behalf of kacho: only an approver on "
                "the route (代決) or kacho's proxy may");
  check_refused(f.router->approve(id, "hosa", "", "bucho"),
                "document D-1: bucho is not an approver of step 2 (waiting for kacho)");
  REQUIRE(f.router->approve(id, "hosa", "課長出張中のため代決", "kacho"));
  CHECK(f.doc(id).state == "approved");
  auto h = f.history(id);
  REQUIRE(h.size() == 3);
  CHECK(h[2].actor == "hosa");
  CHECK(h[2].on_behalf_of == "kacho");
  CHECK(h[2].capacity == "deputy");

  auto reviews = f.store->approval_after_reviews("kacho", "", false);
  REQUIRE(reviews);
  REQUIRE(reviews->size() == 1);
  CHECK((*reviews)[0].document_id == "D-1");
  CHECK((*reviews)[0].decided_by == "hosa");
  CHECK((*reviews)[0].step_no == 2);
  CHECK((*reviews)[0].title == "備品購入 ㈱髙島屋 ～ 〜");

  auto none = f.router->acknowledge(id, "hosa");
  REQUIRE_FALSE(none);
  CHECK(none.status().message() == "document D-1: hosa has no after-review (後閲) to acknowledge");
  auto n = f.router->acknowledge(id, "kacho");
  REQUIRE(n);
  CHECK(*n == 1);
  CHECK(f.store->approval_after_reviews("kacho", "", false)->empty());
  CHECK(f.store->approval_after_reviews("kacho", "", true)->size() == 1);
  REQUIRE_FALSE(f.router->acknowledge(id, "kacho"));
}

TEST_CASE("approval: a proxy acts for the delegator only inside the delegation's window",
          "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  auto bad = f.router->delegate("kacho", "kacho", "2026-11-30", "2026-11-25");
  REQUIRE_FALSE(bad);
  CHECK(bad.status().message() ==
        "delegation: kacho cannot delegate to themself\n"
        "delegation: until date 2026-11-25 is before from date 2026-11-30");
  CHECK(bad.status().code() == Code::kInvalid);
  REQUIRE(f.router->delegate("kacho", "hosa", "2026-11-25", "2026-11-26"));

  std::string id = f.submit({step_of({"kakaricho"}), step_of({"kacho"})});
  REQUIRE(f.router->approve(id, "kakaricho", ""));
  // Before: Tuesday 11-24.
  check_refused(f.router->approve(id, "hosa", ""),
                "document D-1: step 2 is waiting for kacho, not hosa");
  CHECK(f.router->inbox("hosa")->empty());
  // After: Friday 11-27.
  f.clock.set_ms(jst_9am(2026, 11, 27));
  check_refused(f.router->approve(id, "hosa", ""),
                "document D-1: step 2 is waiting for kacho, not hosa");
  // Inside: Thursday 11-26, late in the evening (local day still 11-26).
  f.clock.set_ms(jst_9am(2026, 11, 26) + 14 * 3600 * 1000);
  auto inbox = f.router->inbox("hosa");
  REQUIRE(inbox);
  REQUIRE(inbox->size() == 1);
  CHECK((*inbox)[0].waiting_for == "kacho");
  CHECK((*inbox)[0].document_id == "D-1");
  REQUIRE(f.router->approve(id, "hosa", "代理で承認"));
  auto h = f.history(id);
  CHECK(h.back().actor == "hosa");
  CHECK(h.back().on_behalf_of == "kacho");
  CHECK(h.back().capacity == "proxy");
  CHECK(f.store->approval_after_reviews("kacho", "", true)->empty());
  CHECK(f.doc(id).state == "approved");
}

TEST_CASE("approval: overdue steps get one reminder, then one escalation, on business days",
          "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"kacho"}, "all", 0, 3)});
  CHECK(f.doc(id).steps[0].due_date == "2026-11-27");  // Friday
  f.clock.set_ms(jst_9am(2026, 11, 27));
  auto r = f.router->check_due(f.clock.now_ms());
  REQUIRE(r);
  CHECK(r->overdue == 0);
  // Saturday and Monday: overdue, one reminder only.
  f.clock.set_ms(jst_9am(2026, 11, 28));
  r = f.router->check_due(f.clock.now_ms());
  CHECK(r->reminders == 1);
  f.clock.set_ms(jst_9am(2026, 11, 30));
  r = f.router->check_due(f.clock.now_ms());
  CHECK(r->overdue == 1);
  CHECK(r->reminders == 0);
  CHECK(r->escalations == 0);
  // Escalation after 2 more business days: past Tuesday 12-01, i.e. on Wednesday 12-02.
  f.clock.set_ms(jst_9am(2026, 12, 1));
  CHECK(f.router->check_due(f.clock.now_ms())->escalations == 0);
  f.clock.set_ms(jst_9am(2026, 12, 2));
  CHECK(f.router->check_due(f.clock.now_ms())->escalations == 1);
  CHECK(f.router->check_due(f.clock.now_ms())->escalations == 0);
  auto notices = f.store->approval_notices(10);
  REQUIRE(notices);
  REQUIRE(notices->size() == 2);
  CHECK((*notices)[0].kind == "escalation");
  CHECK((*notices)[1].kind == "reminder");
  CHECK((*notices)[1].recipients == "kacho");
  CHECK((*notices)[1].due_date == "2026-11-27");

  // A step active again (sent back and resubmitted) is due anew and reminded anew.
  REQUIRE(f.router->send_back(id, "kacho", 0, "やり直し"));
  REQUIRE(f.router->resubmit(id, "yamada", ""));
  CHECK(f.doc(id).steps[0].due_date == "2026-12-07");  // Wednesday + 3 = Monday
  f.clock.set_ms(jst_9am(2026, 12, 8));
  CHECK(f.router->check_due(f.clock.now_ms())->reminders == 1);
  // Decided documents are never reminded.
  REQUIRE(f.router->approve(id, "kacho", ""));
  f.clock.set_ms(jst_9am(2026, 12, 28));
  CHECK(f.router->check_due(f.clock.now_ms())->overdue == 0);
}

TEST_CASE("approval: a document's state survives closing and reopening the store mid-route",
          "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string id = f.submit({step_of({"a"}), step_of({"b", "c"}, "any"), step_of({"d"})});
  REQUIRE(f.router->approve(id, "a", ""));
  REQUIRE(f.router->delegate("d", "e", "2026-11-24", "2026-12-31"));
  f.reopen();
  ApprovalDocument d = f.doc(id);
  CHECK(d.current_step == 2);
  check_refused(f.router->approve(id, "a", ""), "document D-1: a has already approved step 1");
  REQUIRE(f.router->approve(id, "c", ""));
  f.reopen();
  REQUIRE(f.router->approve(id, "e", ""));  // d's proxy, after the restart
  CHECK(f.doc(id).state == "approved");
  CHECK(f.history(id).size() == 4);
}

TEST_CASE("approval: every transition is in the audit trail, and the chain verifies", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  REQUIRE(f.router->delegate("kacho", "hosa", "2026-11-24", "2026-11-24"));
  std::string a = f.submit({step_of({"kakaricho"}), step_of({"kacho"})});
  REQUIRE(f.router->approve(a, "kakaricho", ""));
  REQUIRE(f.router->send_back(a, "hosa", 1, "差戻し"));
  REQUIRE(f.router->approve(a, "kakaricho", ""));
  REQUIRE(f.router->approve(a, "kakaricho", "代決", "kacho"));
  REQUIRE(f.router->acknowledge(a, "kacho"));
  std::string b = f.submit({step_of({"x"})});
  REQUIRE(f.router->reject(b, "x", "不可"));
  std::string c = f.submit({step_of({"x"})});
  REQUIRE(f.router->withdraw(c, "yamada", ""));
  f.clock.set_ms(jst_9am(2026, 12, 24));
  std::string d = f.submit({step_of({"x"}, "all", 0, 0)});
  f.clock.set_ms(jst_9am(2026, 12, 25));
  REQUIRE(f.router->check_due(f.clock.now_ms()));

  std::vector<std::string> actions;
  REQUIRE(f.store->scan_audit([&](const AuditEntry& e) {
    actions.push_back(e.action + " " + e.actor + " " + e.subject);
    return true;
  }));
  CHECK(actions == std::vector<std::string>{
                       "approval.delegate kacho delegation:1",
                       "approval.submit yamada approval:D-1",
                       "approval.approve kakaricho approval:D-1",
                       "approval.send_back hosa approval:D-1",
                       "approval.approve kakaricho approval:D-1",
                       "approval.approve kakaricho approval:D-1",
                       "approval.acknowledge kacho approval:D-1",
                       "approval.submit yamada approval:D-2",
                       "approval.reject x approval:D-2",
                       "approval.submit yamada approval:D-3",
                       "approval.withdraw yamada approval:D-3",
                       "approval.submit yamada approval:D-4",
                       "approval.reminder jimu approval:D-4",
                   });
  std::string send_back_detail;
  REQUIRE(f.store->scan_audit([&](const AuditEntry& e) {
    if (e.action == "approval.send_back") send_back_detail = e.detail;
    return true;
  }));
  CHECK(send_back_detail ==
        R"({"step":2,"on_behalf_of":"kacho","capacity":"proxy","to_step":1,"comment":"差戻し","state":"in_progress"})");
  auto report = verify_audit(*f.store);
  REQUIRE(report);
  CHECK(report->ok());
  CHECK(report->entries == 13);
}

TEST_CASE("approval: decisions from many threads at once are all recorded (group commit)",
          "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  constexpr int kDocs = 40;
  std::vector<std::string> ids;
  for (int i = 0; i < kDocs; ++i) ids.push_back(f.submit({step_of({"a"}), step_of({"b"})}));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < kDocs; ++i) {
    threads.emplace_back([&, i] {
      if (f.router->approve(ids[i], "a", "")) ++ok;
      // A refused action in the same batch does not spoil the others.
      if (!f.router->approve(ids[i], "zzz", "")) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 2 * kDocs);
  for (const auto& id : ids) CHECK(f.doc(id).current_step == 2);
  REQUIRE(verify_audit(*f.store)->ok());
}

TEST_CASE("approval: documents and routes are validated, one message per mistake", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  Submission sub;
  sub.document = {"D 1", "", "契約", -5, "総務課", "yamada"};
  sub.route = Route{{step_of({"a"})}};
  auto r = f.router->submit(sub);
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == Code::kInvalid);
  CHECK(r.status().message() ==
        "document D 1: id 'D 1' must not contain spaces or control characters\n"
        "document D 1: title must not be empty\n"
        "document D 1: amount must not be negative, not -5");

  sub.document = {"", "t", "c", 0, "d", "yamada"};
  sub.route = Route{{step_of({"a", "a", ""}, "quorum", 4), step_of({}, "most"),
                     step_of({"yamada"}, "all", 0, 400)}};
  r = f.router->submit(sub);
  REQUIRE_FALSE(r);
  CHECK(r.status().message() ==
        "document: route: step 1: a is named twice\n"
        "document: route: step 1: an approver's name must not be empty\n"
        "document: route: step 1: quorum 4 is more than its 3 approvers\n"
        "document: route: step 2: approvers must not be empty\n"
        "document: route: step 2: mode must be \"all\", \"any\" or { quorum = N }, not \"most\"\n"
        "document: route: step 3: the drafter yamada cannot approve their own document\n"
        "document: route: step 3: due_days must be from 0 to 365, not 400");

  std::string id = f.submit({step_of({"a"})}, "総務-第1号");
  CHECK(id == "総務-第1号");
  Submission dup;
  dup.document = {"総務-第1号", "t", "c", 0, "d", "yamada"};
  dup.route = Route{{step_of({"a"})}};
  auto again = f.router->submit(dup);
  REQUIRE_FALSE(again);
  CHECK(again.status().message() == "document 総務-第1号 already exists");
  CHECK(again.status().code() == Code::kRejected);
}

TEST_CASE("approval: the inbox lists what waits for a user and their delegators", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  std::string a = f.submit({step_of({"kacho"})});
  std::string b = f.submit({step_of({"bucho", "kacho"}, "all")});
  std::string c = f.submit({step_of({"bucho"})});
  REQUIRE(f.router->approve(b, "kacho", ""));
  auto inbox = f.router->inbox("kacho");
  REQUIRE(inbox);
  REQUIRE(inbox->size() == 1);
  CHECK((*inbox)[0].document_id == a);
  CHECK((*inbox)[0].title == "備品購入 ㈱髙島屋 ～ 〜");
  CHECK((*inbox)[0].due_date == "2026-11-27");
  REQUIRE(f.router->delegate("bucho", "kacho", "2026-11-24", "2026-11-24"));
  inbox = f.router->inbox("kacho");
  REQUIRE(inbox->size() == 3);
  std::vector<std::string> got;
  for (const auto& i : *inbox) got.push_back(i.document_id + "/" + i.waiting_for);
  CHECK(got == std::vector<std::string>{a + "/kacho", b + "/bucho", c + "/bucho"});
}

TEST_CASE("approval: a proxy of several approvers of a step says on whose behalf", "[approval]") {
  ApprovalFixture f(JIMU_STORE_BACKEND());
  REQUIRE(f.router->delegate("kacho.a", "hosa", "2026-11-24", "2026-11-24"));
  REQUIRE(f.router->delegate("kacho.b", "hosa", "2026-11-24", "2026-11-24"));
  std::string id = f.submit({step_of({"kacho.a", "kacho.b"}, "all")});
  check_refused(f.router->approve(id, "hosa", ""),
                "document D-1: hosa is the proxy of kacho.a, kacho.b at step 1: say on whose "
                "behalf");
  REQUIRE(f.router->approve(id, "hosa", "", "kacho.b"));
  REQUIRE(f.router->approve(id, "hosa", ""));  // only kacho.a is left
  auto h = f.history(id);
  REQUIRE(h.size() == 3);
  CHECK(h[1].on_behalf_of == "kacho.b");
  CHECK(h[2].on_behalf_of == "kacho.a");
  CHECK(h[2].capacity == "proxy");
  CHECK(f.doc(id).state == "approved");
  // A proxy may reject for the delegator too, but may not 代決 for others.
  std::string id2 = f.submit({step_of({"kacho.a"}), step_of({"bucho"})});
  check_refused(f.router->reject(id2, "hosa", "x", "bucho"),
                "document D-2: bucho is not an approver of step 1 (waiting for kacho.a)");
  REQUIRE(f.router->reject(id2, "hosa", "差し戻し不可のため否決"));
  CHECK(f.history(id2).back().on_behalf_of == "kacho.a");
  CHECK(f.doc(id2).state == "rejected");
}

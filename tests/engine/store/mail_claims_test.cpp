// Store: a mail message is claimed with the start of its run, once (issue 5).
#include <catch2/catch.hpp>

#include "engine/store/store.h"
#include "tests/support/store_backend.h"

using namespace jimu;

namespace {

RunStart start_for(const MailClaim& claim) {
  RunStart s;
  s.workflow_id = claim.workflow_id;
  s.workflow_name = "申請受付";
  s.workflow_path = "/wf/shinsei.lua";
  s.trigger = "mail";
  s.actor = "test";
  s.owner = "test";
  s.started_at = 1795000000000;
  s.mail_claim = claim;
  return s;
}

}  // namespace

TEST_CASE("store: a mail message is claimed by one run; a retry must name the run it replaces",
          "[store][mail]") {
  jimu::testing::TestStore ts(JIMU_STORE_BACKEND());
  auto store = ts.try_open();
  REQUIRE(store);
  MailClaim claim{"shinsei", "inbox", "INBOX", "1795466080", "7", "<m7@x>", 0};
  CHECK_FALSE((*store)->find_mail_claim(claim)->has_value());

  auto first = (*store)->begin_run(start_for(claim));
  REQUIRE(first);
  auto again = (*store)->begin_run(start_for(claim));  // a second poller
  REQUIRE_FALSE(again);
  CHECK(again.status().code() == Code::kConflict);
  CHECK(again.status().message() == "mail inbox/INBOX UID 7 is claimed by another run already");
  // The refused claim left no run behind: the run insert rolled back with it.
  CHECK(*(*store)->run_ids() == std::vector<int64_t>{*first});

  auto held = (*store)->find_mail_claim(claim);
  REQUIRE(held->has_value());
  CHECK((*held)->run_id == *first);
  CHECK((*held)->attempts == 1);
  CHECK((*held)->status == RunStatus::kRunning);

  REQUIRE((*store)->finish_run(*first, RunStatus::kFailed, 0, 1795000001000, "x", "", {}).is_ok());
  MailClaim stale = claim;
  stale.previous_run_id = *first + 100;  // not the run the claim names
  CHECK((*store)->begin_run(start_for(stale)).status().code() == Code::kConflict);
  MailClaim retry = claim;
  retry.previous_run_id = *first;
  auto second = (*store)->begin_run(start_for(retry));
  REQUIRE(second);
  held = (*store)->find_mail_claim(claim);
  CHECK((*held)->run_id == *second);
  CHECK((*held)->attempts == 2);
  // Another UIDVALIDITY is another message.
  MailClaim other = claim;
  other.uid_validity = "1";
  CHECK((*store)->begin_run(start_for(other)).is_ok());
}

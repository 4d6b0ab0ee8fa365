#include <catch2/catch.hpp>

#include "cli/app.h"
#include "cli/approval_handler.h"
#include "engine/approval/approval_lua.h"
#include "tests/approval/approval_fixture.h"
#include "tests/support/lua_fixture.h"

using namespace jimu;
using jimu::testing::ApprovalFixture;
using jimu::testing::LuaFixture;

namespace {

const char* kRule = R"(return function(doc)
  if doc.amount > 1000000 then
    return { steps = { { approvers = { "kacho" } }, { approvers = { "bucho" }, decides = true } } }
  end
  return { steps = { { approvers = { "kacho" }, decides = true } } }
end)";

}  // namespace

TEST_CASE("approval lua: submit with a rule, then status with the history", "[approval][lua]") {
  ApprovalFixture f;
  LuaFixture lua({{"approval", &open_approval_module, f.router.get()}});
  lua.dir.write("rules.lua", kRule);
  auto err = lua.run_body(R"(
    local id = assert(jimu.approval.submit{
      document = { title = "道路補修 ㈱髙橋建設", category = "契約", amount = 2500000,
                   division = "建設課", drafter = "doboku.tanto" },
      rule = "rules.lua" })
    assert(id == "D-1", id)
    local st = assert(jimu.approval.status(id))
    assert(st.state == "in_progress" and st.step == 1, st.state)
    assert(#st.steps == 2 and st.steps[2].decides == true)
    assert(st.steps[1].approvers[1].approver == "kacho" and st.steps[1].approvers[1].pending)
    assert(#st.history == 1 and st.history[1].action == "submit")
    assert(st.history[1].actor == "doboku.tanto")
    assert(st.title == "道路補修 ㈱髙橋建設" and st.amount == 2500000)
  )");
  INFO((err ? err->message : ""));
  REQUIRE_FALSE(err);
  REQUIRE(f.router->approve("D-1", "kacho", "確認"));
  err = lua.run_body(R"(
    local st = assert(jimu.approval.status("D-1"))
    assert(st.step == 2 and #st.history == 2)
    local h = st.history[2]
    assert(h.action == "approve" and h.actor == "kacho" and h.step == 1 and h.comment == "確認")
    assert(h.at:match("^2026%-11%-24T09:00:00%+09:00$"), h.at)
  )");
  INFO((err ? err->message : ""));
  CHECK_FALSE(err);
}

TEST_CASE("approval lua: operational failures return nil, message, code", "[approval][lua]") {
  ApprovalFixture f;
  LuaFixture lua({{"approval", &open_approval_module, f.router.get()}});
  lua.dir.write("rules.lua", kRule);
  auto err = lua.run_body(R"(
    local ok, msg, code = jimu.approval.status("D-9")
    assert(ok == nil and msg == "document D-9 does not exist" and code == "not_found", msg)
    ok, msg, code = jimu.approval.submit{
      document = { title = "t", category = "c", division = "d", drafter = "x" },
      route = { steps = { { approvers = { "kacho" }, mode = "most" } } } }
    assert(ok == nil and code == "invalid", code)
    assert(msg == "document: route: step 1: mode must be \"all\", \"any\" or { quorum = N }, not \"most\"", msg)
    ok, msg, code = jimu.approval.submit{
      document = { title = "t", category = "c", division = "d", drafter = "x" }, rule = "none.lua" }
    assert(ok == nil and code == "not_found" and msg == "none.lua: the rule file does not exist", msg)
    ok, msg, code = jimu.approval.submit{
      document = { title = "t", category = "c", division = "d", drafter = "x" },
      rule = "/etc/passwd" }
    assert(ok == nil and code == "denied", code)
    local id = assert(jimu.approval.submit{
      document = { id = "D-7", title = "t", category = "c", division = "d", drafter = "x" },
      route = { steps = { { approvers = { "kacho" }, mode = { quorum = 1 } } } } })
    ok, msg, code = jimu.approval.submit{
      document = { id = "D-7", title = "t", category = "c", division = "d", drafter = "x" },
      route = { steps = { { approvers = { "kacho" } } } } }
    assert(ok == nil and msg == "document D-7 already exists" and code == "rejected", msg)
  )");
  INFO((err ? err->message : ""));
  CHECK_FALSE(err);
}

TEST_CASE("approval lua: misuse raises naming the option", "[approval][lua]") {
  ApprovalFixture f;
  LuaFixture lua({{"approval", &open_approval_module, f.router.get()}});
  auto err = lua.run_body(
      "jimu.approval.submit{ document = { title = 't', category = 'c', division = 'd', "
      "drafter = 'x' }, rule = 'r.lua', colour = 1 }");
  REQUIRE(err);
  CHECK(err->message ==
        "wf.lua:2: bad argument #1 to 'submit' (unknown option 'colour' (known: document, rule, "
        "route, on_decided, comment))");
  err = lua.run_body(
      "jimu.approval.submit{ document = { title = 't', category = 'c', division = 'd', "
      "drafter = 'x', ammount = 3 }, rule = 'r.lua' }");
  REQUIRE(err);
  CHECK(err->message ==
        "wf.lua:2: bad argument #1 to 'submit' (unknown document field 'ammount' (known: id, "
        "title, category, amount, division, drafter))");
  err = lua.run_body(
      "jimu.approval.submit{ document = { title = 't', category = 'c', division = 'd', "
      "drafter = 'x' } }");
  REQUIRE(err);
  CHECK(err->message ==
        "wf.lua:2: bad argument #1 to 'submit' (give either rule = \"FILE.lua\" or route = { "
        "steps = ... })");
  err = lua.run_body("jimu.approval.submit{ document = { category = 'c' }, rule = 'r.lua' }");
  REQUIRE(err);
  CHECK(err->message == "wf.lua:2: bad argument #1 to 'submit' (document.title is required)");
}

TEST_CASE("approval lua: a dry run checks the route but submits nothing", "[approval][lua]") {
  ApprovalFixture f;
  LuaFixture lua({{"approval", &open_approval_module, f.router.get()}}, 64u << 20, true);
  lua.dir.write("rules.lua", kRule);
  auto err = lua.run_body(R"lua(
    local id = assert(jimu.approval.submit{
      document = { title = "t", category = "c", division = "d", drafter = "x" }, rule = "rules.lua" })
    assert(id == "(dry run)", id)
  )lua");
  INFO((err ? err->message : ""));
  REQUIRE_FALSE(err);
  CHECK(f.store->approval_documents({})->empty());
}

TEST_CASE("approval: the handler workflow runs with the document and outcome when the route ends",
          "[approval][handler]") {
  jimu::testing::TempDir home;
  std::string handler = home.write("wf/on_decided.lua", R"(
return jimu.workflow {
  id = "on-decided", name = "決裁後処理",
  params = { document = "", outcome = "" },
  run = function(ctx)
    local st = assert(jimu.approval.status(ctx.params.document))
    assert(st.state == ctx.params.outcome, st.state .. " vs " .. ctx.params.outcome)
    jimu.log.info("%s %s %s", ctx.params.document, ctx.params.outcome, st.title)
    ctx:processed(1)
  end }
)");
  cli::Args args;
  args.values["home"] = {home.path()};
  auto app = cli::App::open(args);
  REQUIRE(app);
  ApprovalRouter& router = *(*app)->approval;
  Submission sub;
  sub.document = {"", "補助金交付決定 ①", "補助金", 300000, "福祉課", "fukushi.tanto"};
  sub.route = Route{{jimu::testing::step_of({"kacho"})}};
  sub.handler = handler;
  auto id = router.submit(sub);
  REQUIRE(id);
  REQUIRE(router.approve(*id, "kacho", ""));
  auto* handlers = static_cast<cli::HandlerRunner*>((*app)->approval_handlers.get());
  REQUIRE(handlers->results().size() == 1);
  const auto& r = handlers->results()[0];
  REQUIRE(r.run);
  INFO(r.run->error);
  CHECK(r.run->status == RunStatus::kSucceeded);
  auto run = (*app)->store->get_run(r.run->run_id);
  REQUIRE(run);
  CHECK(run->trigger == "approval");
  CHECK(run->params_json == R"({"document":"D-1","outcome":"approved"})");
  auto logs = (*app)->store->run_logs(r.run->run_id);
  REQUIRE(logs);
  REQUIRE(logs->size() == 1);
  CHECK((*logs)[0].message == "D-1 approved 補助金交付決定 ①");

  // A rejected document's handler runs with outcome=rejected.
  auto id2 = router.submit(sub);
  REQUIRE(id2);
  REQUIRE(router.reject(*id2, "kacho", "要件を満たさない"));
  REQUIRE(handlers->results().size() == 2);
  CHECK(handlers->results()[1].outcome == "rejected");
  REQUIRE(handlers->results()[1].run);
  CHECK(handlers->results()[1].run->status == RunStatus::kSucceeded);
}

TEST_CASE("approval lua: record_decision and record_receipt record, and re-record by id",
          "[approval][lua][kpi]") {
  ApprovalFixture f;
  LuaFixture lua({{"approval", &open_approval_module, f.router.get()}});
  auto err = lua.run_body(R"(
    assert(jimu.approval.record_decision{ id = "R-1", division = "総務課",
      decided_on = "2026-11-30", method = "excluded", reason = "図面原本（A1判）のため" } == true)
    assert(jimu.approval.record_decision{ id = "R-1", division = "総務課",
      decided_on = "2026-11-30", method = "paper" } == true)
    assert(jimu.approval.record_receipt{ id = "R-1", division = "総務課",
      received_on = "2026-11-02", electronic = false } == true)
    local ok, msg, code = jimu.approval.record_decision{ id = "R-2", division = "総務課",
      decided_on = "2026-11-30", method = "excluded" }
    assert(ok == nil and code == "invalid", code)
    assert(msg == "decision R-2: an excluded document needs its reason", msg)
    ok, msg, code = jimu.approval.record_decision{ id = "R-2", division = "総務課",
      decided_on = "2026-11-30", method = "紙" }
    assert(msg == "decision R-2: method '紙' is not electronic, paper or excluded", msg)
    ok, msg, code = jimu.approval.record_receipt{ id = "R-3", division = "総務課",
      received_on = "2026-02-29", electronic = true }
    assert(ok == nil and code == "invalid", code)
    assert(msg == "receipt R-3: received_on '2026-02-29' is not a date like 2026-11-30", msg)
  )");
  INFO((err ? err->message : ""));
  REQUIRE_FALSE(err);
  auto facts = f.store->document_facts("2026-04-01", "2027-03-31");
  REQUIRE(facts);
  REQUIRE(facts->size() == 2);
  CHECK((*facts)[0].kind == "paper");
  CHECK((*facts)[1].kind == "received_paper");
}

TEST_CASE("approval lua: record_decision and record_receipt raise on misuse",
          "[approval][lua][kpi]") {
  ApprovalFixture f;
  LuaFixture lua({{"approval", &open_approval_module, f.router.get()}});
  auto err = lua.run_body(
      "jimu.approval.record_decision{ id = 'R-1', division = 'd', decided_on = '2026-11-30', "
      "method = 'paper', reasons = 'x' }");
  REQUIRE(err);
  CHECK(err->message ==
        "wf.lua:2: bad argument #1 to 'record_decision' (unknown option 'reasons' (known: id, "
        "division, decided_on, method, reason))");
  err = lua.run_body(
      "jimu.approval.record_decision{ id = 'R-1', division = 'd', decided_on = '2026-11-30' }");
  REQUIRE(err);
  CHECK(err->message == "wf.lua:2: bad argument #1 to 'record_decision' (method is required)");
  err = lua.run_body(
      "jimu.approval.record_receipt{ id = 'R-1', division = 'd', received_on = '2026-11-30' }");
  REQUIRE(err);
  CHECK(err->message == "wf.lua:2: bad argument #1 to 'record_receipt' (electronic is required)");
  err = lua.run_body("jimu.approval.record_receipt('R-1')");
  REQUIRE(err);
  CHECK(err->message.find("bad argument #1 to 'record_receipt' (table expected") !=
        std::string::npos);
}

TEST_CASE("approval lua: a dry run records no decision and no receipt", "[approval][lua][kpi]") {
  ApprovalFixture f;
  LuaFixture lua({{"approval", &open_approval_module, f.router.get()}}, 64u << 20, true);
  auto err = lua.run_body(R"(
    assert(jimu.approval.record_decision{ id = "R-1", division = "総務課",
      decided_on = "2026-11-30", method = "electronic" } == true)
    assert(jimu.approval.record_receipt{ id = "R-1", division = "総務課",
      received_on = "2026-11-02", electronic = true } == true)
    local ok, msg = jimu.approval.record_decision{ id = "R-1", division = "総務課",
      decided_on = "2026-11-31", method = "electronic" }
    assert(ok == nil and msg == "decision R-1: decided_on '2026-11-31' is not a date like 2026-11-30", msg)
  )");
  INFO((err ? err->message : ""));
  REQUIRE_FALSE(err);
  CHECK(f.store->document_facts("2026-04-01", "2027-03-31")->empty());
}

#include <catch2/catch.hpp>

#include "engine/approval/route_rules.h"
#include "tests/support/temp_dir.h"

using namespace jimu;
using jimu::testing::TempDir;

namespace {

const std::string kDefaultRules = std::string(JIMU_SOURCE_DIR) + "/scripts/approval/default_rules.lua";

RuleOptions quick() {
  RuleOptions o;
  o.time_limit_s = 1;
  return o;
}

// The route as text: "a|b,c:any|d:quorum2*" (* marks a deciding step).
std::string shape(const Route& r) {
  std::string out;
  for (const auto& s : r.steps) {
    if (!out.empty()) out += "|";
    for (size_t i = 0; i < s.approvers.size(); ++i) out += (i ? "," : "") + s.approvers[i];
    if (s.mode == "any") out += ":any";
    if (s.mode == "quorum") out += ":quorum" + std::to_string(s.quorum);
    if (s.decides) out += "*";
  }
  return out;
}

std::string route_for(const std::string& category, int64_t amount, const std::string& division) {
  DocumentInfo doc{"", "件名", category, amount, division, "tanto"};
  auto r = evaluate_route_rule(kDefaultRules, "default_rules.lua", doc, quick());
  if (!r) return "error: " + r.status().message();
  return shape(*r);
}

Status rule_error(const std::string& source, const std::string& name = "bad.lua") {
  TempDir d;
  DocumentInfo doc{"", "件名", "契約", 1, "総務課", "tanto"};
  auto r = evaluate_route_rule(d.write(name, source), name, doc, quick());
  return r ? Status::ok() : r.status();
}

}  // namespace

TEST_CASE("rules: the example rule routes by amount threshold (専決 level)", "[approval][rules]") {
  CHECK(route_for("物品購入", 48000, "総務課") == "somu.kakaricho|somu.kacho*");
  CHECK(route_for("支出", 500000, "総務課") == "somu.kakaricho|somu.kacho*");
  CHECK(route_for("支出", 500001, "総務課") == "somu.kakaricho|somu.kacho|somubu.bucho*");
  CHECK(route_for("支出", 3000000, "福祉課") ==
        "fukushi.kakaricho|fukushi.kacho|hokenbu.bucho*");
  CHECK(route_for("支出", 3000001, "福祉課") ==
        "fukushi.kakaricho|fukushi.kacho|hokenbu.bucho|fukushicho,kaikei.kanrisha,seisakukan:"
        "quorum2*");
}

TEST_CASE("rules: the example rule routes by category: 合議 for contracts, any-one for purchases",
          "[approval][rules]") {
  CHECK(route_for("契約", 200000, "税務課") ==
        "zeimu.kakaricho|keiyaku.kakaricho,zaimu.kakaricho|zeimu.kacho*");
  CHECK(route_for("物品購入", 100000, "税務課") ==
        "zeimu.kakaricho|kobai.sato,kobai.suzuki,kobai.takahashi:any|zeimu.kacho*");
  CHECK(route_for("人事", 0, "福祉課") == "fukushi.kakaricho|fukushi.kacho|hokenbu.bucho*");
}

TEST_CASE("rules: the example rule routes by division, and refuses an unknown one",
          "[approval][rules]") {
  CHECK(route_for("支出", 1000, "税務課") == "zeimu.kakaricho|zeimu.kacho*");
  DocumentInfo doc{"", "件名", "支出", 1, "人事課", "tanto"};
  auto r = evaluate_route_rule(kDefaultRules, "default_rules.lua", doc, quick());
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == Code::kInvalid);
  CHECK(r.status().message() ==
        "default_rules.lua: the rule gives no route for this document: no route is defined for "
        "division 人事課");
}

TEST_CASE("rules: a rule sees the document's fields, amount as an integer", "[approval][rules]") {
  TempDir d;
  std::string path = d.write("r.lua", R"(
return function(doc)
  assert(math.type(doc.amount) == "integer")
  return { steps = { { approvers = { doc.division .. "長" }, due_days = #doc.title } } }
end)");
  DocumentInfo doc{"D-1", "ｶﾅ①", "c", 12, "総務課", "tanto"};
  auto r = evaluate_route_rule(path, "r.lua", doc, quick());
  REQUIRE(r);
  CHECK(shape(*r) == "総務課長");
  CHECK(r->steps[0].due_days == 9);  // three 3-byte characters
}

TEST_CASE("rules: a wrong route is reported one message per mistake", "[approval][rules]") {
  Status s = rule_error(R"(return function(doc)
  return { extra = 1, steps = {
    { approvers = "kacho" },
    { approvers = { 1 }, mode = { quorum = 1.5 }, due_days = "3", decides = "yes", approver = 1 },
    { approvers = { "a" }, mode = "quorum" },
  } }
end)", "shape.lua");
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message() ==
        "shape.lua: route: unknown key 'extra' (steps)\n"
        "shape.lua: route: step 1: approvers must be a list of user names, not string\n"
        "shape.lua: route: step 2: unknown key 'approver' (approvers, mode, due_days, decides)\n"
        "shape.lua: route: step 2: approver 1 must be a user name (string), not number\n"
        "shape.lua: route: step 2: quorum must be a whole number, not 1.5\n"
        "shape.lua: route: step 2: due_days must be a whole number of business days, not string\n"
        "shape.lua: route: step 2: decides must be true or false, not string\n"
        "shape.lua: route: step 3: a quorum is written mode = { quorum = N }");
  s = rule_error("return function(doc) return { steps = {} } end");
  CHECK(s.message() ==
        "bad.lua: route: the route has no steps (steps = { { approvers = { ... } }, ... })");
  s = rule_error("return function(doc) return 42 end");
  CHECK(s.message() == "bad.lua: route: must be a table { steps = { ... } }, not number");
  s = rule_error("return function(doc) return { steps = { { approvers = { 'tanto' } } } } end");
  CHECK(s.message() == "bad.lua: route: step 1: the drafter tanto cannot approve their own document");
}

TEST_CASE("rules: syntax errors, runtime errors and wrong returns name the file", "[approval][rules]") {
  Status s = rule_error("return function(doc) return { steps = } end");
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() == "bad.lua:1: unexpected symbol near '}'");
  s = rule_error("return function(doc)\n  return doc.missing.x\nend");
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message() == "bad.lua:2: attempt to index a nil value (field 'missing')");
  s = rule_error("return { steps = {} }");
  CHECK(s.message() ==
        "bad.lua: the rule file must return a function(document) -> route, but it returned table");
  s = rule_error("return function(doc) os.execute('rm -rf /') end");
  CHECK(s.message() == "bad.lua:1: attempt to call a nil value (field 'execute')");
  TempDir d;
  auto r = evaluate_route_rule(d.file("nope.lua"), "nope.lua", DocumentInfo{}, quick());
  REQUIRE_FALSE(r);
  CHECK(r.status().code() == Code::kNotFound);
  CHECK(r.status().message() == "nope.lua: the rule file does not exist");
}

TEST_CASE("rules: a rule that never returns is stopped, even inside pcall", "[approval][rules]") {
  Status s = rule_error("return function(doc) while true do end end", "loop.lua");
  CHECK(s.code() == Code::kLimit);
  CHECK(s.message() == "loop.lua: rule stopped: time limit of 1 s exceeded");
  s = rule_error(
      "return function(doc) while true do pcall(function() while true do end end) end end",
      "loop.lua");
  CHECK(s.code() == Code::kLimit);
  // 1 MB pieces reach the 64 MB cap in 64 steps, well inside the 1 s time limit even on a loaded
  // machine (1 KB pieces raced the time limit under CI load and lost).
  s = rule_error(
      "local t = {} return function(doc) while true do t[#t + 1] = ('x'):rep(1048576) .. #t end end",
      "mem.lua");
  CHECK(s.code() == Code::kLimit);
  CHECK(s.message() == "mem.lua: rule stopped: memory limit of 64 MB exceeded");
}

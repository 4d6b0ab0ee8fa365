#include <catch2/catch.hpp>

#include "engine/script/workflow_validation.h"
#include "tests/support/lua_fixture.h"

using jimu::testing::LuaFixture;

namespace {

std::vector<std::string> problems_of(const std::string& source) {
  LuaFixture f;
  auto wl = f.load(source);
  std::vector<std::string> out;
  for (const auto& p : wl.problems) out.push_back(p.to_string());
  return out;
}

}  // namespace

TEST_CASE("workflow: a valid definition is read into WorkflowDef", "[workflow]") {
  LuaFixture f;
  auto wl = f.load(R"(return jimu.workflow {
  id = "debit-check",
  name = "口座振替結果点検",
  operation = "GYO-012",
  owner = "zeimu@example.lg.jp",
  params = { input = "in/debit.csv", limit = 100, strict = true },
  schedule = { cron = "0 2 * * *", calendar = "jp-gov", on_holiday = "skip" },
  timeout = "30m",
  retry = { attempts = 2, backoff = "5m" },
  run = function(ctx) end,
})");
  REQUIRE(wl.problems.empty());
  REQUIRE(wl.def);
  CHECK(wl.def->id == "debit-check");
  CHECK(wl.def->name == "口座振替結果点検");
  CHECK(*wl.def->operation == "GYO-012");
  CHECK(wl.def->operation_line == 4);
  CHECK(std::get<std::string>(wl.def->params.at("input")) == "in/debit.csv");
  CHECK(std::get<double>(wl.def->params.at("limit")) == 100);
  CHECK(std::get<bool>(wl.def->params.at("strict")) == true);
  CHECK(wl.def->schedule->on_holiday == "skip");
  CHECK(wl.def->schedule->missed == "latest");
  CHECK(*wl.def->timeout_s == 1800);
  CHECK(wl.def->retry->attempts == 2);
  CHECK(wl.def->retry->backoff_s == 300);
  CHECK(wl.def->line == 1);
}

TEST_CASE("workflow: an unknown key is named with its line and a suggestion", "[workflow]") {
  CHECK(problems_of(R"(return jimu.workflow {
  id = "a", name = "b",
  shedule = { cron = "0 2 * * *" },
  run = function() end,
})") == std::vector<std::string>{
            "wf.lua:3: unknown key 'shedule' in workflow (did you mean 'schedule'?)"});
}

TEST_CASE("workflow: every mistake is reported, one message each", "[workflow]") {
  CHECK(problems_of(R"(return jimu.workflow {
  name = "",
  run = "not a function",
  params = { input = {} },
  schedule = { on_holiday = "sometimes" },
  timeout = "soon",
})") == std::vector<std::string>{
            "wf.lua:1: missing required key 'id' in workflow",
            "wf.lua:2: 'name' in workflow must not be empty",
            "wf.lua:3: 'run' in workflow must be a function, not string",
            "wf.lua:4: parameter 'input' must default to a string, number or boolean, not table",
            "wf.lua:1: missing required key 'cron' in schedule",
            "wf.lua:5: 'on_holiday' in schedule must be one of run, skip, next, previous, not "
            "'sometimes'",
            "wf.lua:6: 'timeout' must look like 90, \"90s\", \"30m\" or \"2h\", not 'soon'",
        });
}

TEST_CASE("workflow: a bad id is explained", "[workflow]") {
  CHECK(problems_of("return jimu.workflow { id = 'a b', name = 'x', run = function() end }") ==
        std::vector<std::string>{"wf.lua:1: 'id' must be 1 to 64 letters, digits, '_', '-' or "
                                 "'.', starting with a letter or digit, not 'a b'"});
}

TEST_CASE("workflow: a syntax error names file and line", "[workflow]") {
  CHECK(problems_of("return jimu.workflow {\n  id = 'a'\n  name = 'b',\n}") ==
        std::vector<std::string>{"wf.lua:3: '}' expected (to close '{' at line 1) near 'name'"});
}

TEST_CASE("workflow: a file must return jimu.workflow{...}", "[workflow]") {
  CHECK(problems_of("return { id = 'a', name = 'b', run = function() end }") ==
        std::vector<std::string>{
            "wf.lua: the file must return jimu.workflow{...}, but it returned a plain table"});
  CHECK(problems_of("local x = 1") ==
        std::vector<std::string>{"wf.lua: the file must return jimu.workflow{...}, but it returned nil"});
}

TEST_CASE("workflow: an error while evaluating the file is reported with its line", "[workflow]") {
  CHECK(problems_of("local t = nil\nlocal y = t.x\nreturn jimu.workflow{}") ==
        std::vector<std::string>{"wf.lua:2: attempt to index a nil value (local 't')"});
}

TEST_CASE("workflow: a trigger kind this version does not know is refused by name", "[workflow]") {
  CHECK(problems_of("return jimu.workflow { id = 'a', name = 'b', run = function() end,\n"
                    "  trigger = { ftp = {} } }") ==
        std::vector<std::string>{"wf.lua:2: unknown key 'ftp' in trigger"});
  CHECK(problems_of("return jimu.workflow { id = 'a', name = 'b', run = function() end,\n"
                    "  trigger = { mail = {} } }") ==
        std::vector<std::string>{"wf.lua:1: missing required key 'account' in trigger.mail"});
  CHECK(problems_of("return jimu.workflow { id = 'a', name = 'b', run = function() end,\n"
                    "  trigger = {} }") ==
        std::vector<std::string>{
            "wf.lua:2: 'trigger' must name a kind: trigger = { mail = { account = ... } } or "
            "trigger = { file = { folder = ... } }"});
}

TEST_CASE("workflow: a file trigger names its folder, a pattern without folders and seconds",
          "[workflow]") {
  CHECK(problems_of("return jimu.workflow { id = 'a', name = 'b', run = function() end,\n"
                    "  trigger = { file = { folder = 'in', pattern = '*.csv', stable = 5 } } }")
            .empty());
  CHECK(problems_of("return jimu.workflow { id = 'a', name = 'b', run = function() end,\n"
                    "  trigger = { file = { pattern = 'x/*.csv', stable = -1, size = 3 } } }") ==
        std::vector<std::string>{
            "wf.lua:2: unknown key 'size' in trigger.file",
            "wf.lua:1: missing required key 'folder' in trigger.file",
            "wf.lua:2: 'pattern' in trigger.file must be a file name pattern like \"*.csv\" (no "
            "folders)",
            "wf.lua:2: 'stable' in trigger.file must be seconds from 0 to 3600"});
}

TEST_CASE("workflow: a UTF-8 byte-order mark at the start is accepted", "[workflow]") {
  CHECK(problems_of("\xEF\xBB\xBFreturn jimu.workflow { id = 'a', name = 'b', run = function() end }")
            .empty());
}

TEST_CASE("workflow: key lines ignore longer names and comparisons", "[workflow]") {
  CHECK(jimu::line_of_key("a\nx_id = 1\nif id == 2\n  id = 3\n", "id", 1) == 4);
}

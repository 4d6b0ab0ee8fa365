#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "tests/support/lua_fixture.h"

using jimu::testing::LuaFixture;

namespace {

// Runs body while another thread requests a stop after delay_ms, as the runner's watchdog does.
std::optional<jimu::ScriptError> run_with_deadline(LuaFixture& f, const std::string& body,
                                                   int delay_ms = 150) {
  std::thread watchdog([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    f.host->request_stop("time limit of 0.15 s exceeded");
  });
  auto e = f.run_body(body);
  watchdog.join();
  return e;
}

}  // namespace

TEST_CASE("limits: an endless loop is stopped at its deadline", "[limits]") {
  LuaFixture f;
  auto e = run_with_deadline(f, "while true do end");
  REQUIRE(e);
  CHECK(e->stopped);
  CHECK(e->message == "run stopped: time limit of 0.15 s exceeded");
}

TEST_CASE("limits: pcall inside the script cannot swallow the stop", "[limits]") {
  LuaFixture f;
  auto e = run_with_deadline(f, R"(
    while true do
      pcall(function() while true do end end)
      local ok = pcall(error, "x")
    end)");
  REQUIRE(e);
  CHECK(e->stopped);
  CHECK(e->message == "run stopped: time limit of 0.15 s exceeded");
}

TEST_CASE("limits: xpcall with a looping handler cannot swallow the stop", "[limits]") {
  LuaFixture f;
  auto e = run_with_deadline(f, R"(
    while true do
      xpcall(function() while true do end end, function(m) while true do end end)
    end)");
  REQUIRE(e);
  CHECK(e->stopped);
}

TEST_CASE("limits: xpcall's handler still runs for ordinary errors", "[limits]") {
  LuaFixture f;
  auto e = f.run_body(R"(
    local ok, msg = xpcall(function() error("bad row", 0) end, function(m) return "handled: " .. m end)
    assert(not ok and msg == "handled: bad row", msg))");
  CHECK_FALSE(e);
}

TEST_CASE("limits: a loop inside a coroutine is stopped too", "[limits]") {
  LuaFixture f;
  auto e = run_with_deadline(f, R"(
    local co = coroutine.create(function() while true do end end)
    local ok, err = coroutine.resume(co)
    -- even if the script ignores the coroutine's error, it is stopped again out here
    while true do end)");
  REQUIRE(e);
  CHECK(e->stopped);
}

TEST_CASE("limits: a loop inside a wrapped coroutine created before the deadline is stopped", "[limits]") {
  LuaFixture f;
  auto e = run_with_deadline(f, R"(
    local spin = coroutine.wrap(function() while true do end end)
    pcall(spin)
    while true do end)");
  REQUIRE(e);
  CHECK(e->stopped);
}

TEST_CASE("limits: memory beyond the cap stops the run with a clear message", "[limits]") {
  LuaFixture f({}, 16u << 20);
  auto e = f.run_body(R"(
    local t = {}
    for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end)");
  REQUIRE(e);
  CHECK(e->stopped);
  CHECK(e->message == "run stopped: memory limit of 16 MB exceeded");
}

TEST_CASE("limits: pcall cannot swallow running out of memory", "[limits]") {
  LuaFixture f({}, 16u << 20);
  auto e = f.run_body(R"(
    local keep = {}
    for round = 1, 1e9 do
      pcall(function()
        local t = {}
        for i = 1, 1e9 do t[i] = string.rep("y", 1000) .. i end
      end)
      keep[#keep + 1] = round
    end)");
  REQUIRE(e);
  CHECK(e->stopped);
  CHECK(e->message == "run stopped: memory limit of 16 MB exceeded");
}

TEST_CASE("limits: a run that stays within its limits is not disturbed", "[limits]") {
  LuaFixture f({}, 16u << 20);
  auto e = f.run_body("local s = 0 for i = 1, 1e6 do s = s + i end assert(s == 500000500000)");
  CHECK_FALSE(e);
}

TEST_CASE("limits: errors carry file:line and a traceback", "[limits]") {
  LuaFixture f;
  auto e = f.run_body("local row = nil\nlocal x = row.name");
  REQUIRE(e);
  CHECK_FALSE(e->stopped);
  CHECK(e->message == "wf.lua:3: attempt to index a nil value (local 'row')");
  CHECK(e->traceback.find("stack traceback:") != std::string::npos);
  CHECK(e->traceback.find("wf.lua:3: in function <wf.lua:1>") != std::string::npos);
}

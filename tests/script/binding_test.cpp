// The binding layer, through a tiny module defined here: misuse raises, failure returns
// nil, message, code, options are checked by name, handles close once.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "engine/script/binding.h"
#include "tests/support/lua_fixture.h"

using jimu::testing::LuaFixture;
namespace lua = jimu::lua;

namespace {

int closed_count = 0;

struct Counter {
  int value = 0;
  ~Counter() { ++closed_count; }
};

constexpr const char* kCounter = "jimu.test.counter";

int t_open(lua_State* L) {
  lua::check_options(L, 1, {"start", "label"});
  auto start = lua::opt_integer(L, 1, "start");
  auto* c = lua::push_handle(L, kCounter, new Counter());
  c->value = static_cast<int>(start.value_or(0));
  return 1;
}

int t_add(lua_State* L) {
  Counter* c = lua::check_handle<Counter>(L, 1, kCounter);
  c->value += static_cast<int>(luaL_checkinteger(L, 2));
  lua_pushinteger(L, c->value);
  return 1;
}

int t_close(lua_State* L) {
  lua::close_handle<Counter>(L, 1, kCounter);
  return 0;
}

int t_fail(lua_State* L) { return lua::push_failure(L, jimu::Status::not_found("in/x.csv: no such file")); }

int t_throw(lua_State*) { throw std::runtime_error("library said no"); }

int open_test_module(lua_State* L) {
  static const luaL_Reg methods[] = {JIMU_LUA_FN("add", t_add), JIMU_LUA_FN("close", t_close),
                                     {nullptr, nullptr}};
  lua::register_handle<Counter>(L, kCounter, methods);
  static const luaL_Reg fns[] = {JIMU_LUA_FN("open", t_open), JIMU_LUA_FN("fail", t_fail),
                                 JIMU_LUA_FN("throw", t_throw), {nullptr, nullptr}};
  luaL_newlib(L, fns);
  return 1;
}

std::string error_of(LuaFixture& f, const std::string& body) {
  auto e = f.run_body(body);
  return e ? e->message : "";
}

}  // namespace

TEST_CASE("binding: operational failure returns nil, message, code", "[binding]") {
  LuaFixture f({{"t", &open_test_module}});
  CHECK(error_of(f, "local v, msg, code = jimu.t.fail() "
                    "assert(v == nil and msg == 'in/x.csv: no such file' and code == 'not_found')") == "");
  CHECK(error_of(f, "assert(jimu.t.fail())") == "wf.lua:2: in/x.csv: no such file");
}

TEST_CASE("binding: a C++ exception becomes a Lua error, catchable by pcall", "[binding]") {
  LuaFixture f({{"t", &open_test_module}});
  CHECK(error_of(f, "jimu.t.throw()") == "wf.lua:2: library said no");
  CHECK(error_of(f, "local ok, err = pcall(jimu.t.throw) assert(not ok and err:find('library said no'))") == "");
}

TEST_CASE("binding: unknown option keys are rejected by name", "[binding]") {
  LuaFixture f({{"t", &open_test_module}});
  CHECK(error_of(f, "jimu.t.open({ strat = 1 })") ==
        "wf.lua:2: bad argument #1 to 'open' (unknown option 'strat' (known: start, label))");
  CHECK(error_of(f, "jimu.t.open({ start = 'one' })") ==
        "wf.lua:2: bad argument #1 to 'open' (option 'start' (integer expected, got string))");
}

TEST_CASE("binding: handles close once, by <close>, by close() or by collection", "[binding]") {
  LuaFixture f({{"t", &open_test_module}});
  closed_count = 0;
  CHECK(error_of(f, R"(
    do local c <close> = jimu.t.open({ start = 2 }) assert(c:add(3) == 5) end
    local d = jimu.t.open() d:close() d:close()
    jimu.t.open()  -- dropped: closed by the collector
  )") == "");
  CHECK(closed_count == 3);
  CHECK(error_of(f, "local d = jimu.t.open() d:close() d:add(1)") ==
        "wf.lua:2: attempt to use a closed jimu.test.counter");
  CHECK(error_of(f, "jimu.t.open():add('x')") ==
        "wf.lua:2: bad argument #1 to 'add' (number expected, got string)");
}

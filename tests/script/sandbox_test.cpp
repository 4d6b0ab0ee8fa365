#include <catch2/catch.hpp>

#include "connectors/fs/fs_lua.h"
#include "tests/support/lua_fixture.h"

using jimu::testing::LuaFixture;

namespace {

// Runs body and returns the error message ("" on success).
std::string error_of(LuaFixture& f, const std::string& body) {
  auto e = f.run_body(body);
  return e ? e->message : "";
}

}  // namespace

TEST_CASE("sandbox: the process, file and debug libraries are absent", "[sandbox]") {
  LuaFixture f;
  for (const char* name : {"io", "package", "debug", "dofile", "loadfile"}) {
    INFO(name);
    CHECK(error_of(f, std::string("local x = ") + name) ==
          std::string("wf.lua:2: undefined global '") + name + "'");
  }
}

TEST_CASE("sandbox: os offers time and dates but not execute, exit, getenv or remove", "[sandbox]") {
  LuaFixture f;
  CHECK(error_of(f, "assert(os.time() > 0 and os.clock() >= 0 and os.date('%Y'))") == "");
  for (const char* name : {"execute", "exit", "getenv", "remove", "rename", "tmpname", "setlocale"}) {
    INFO(name);
    CHECK(error_of(f, std::string("assert(os.") + name + " == nil)") == "");
  }
}

TEST_CASE("sandbox: string.dump is gone, also through a string's metatable", "[sandbox]") {
  LuaFixture f;
  CHECK(error_of(f, "assert(string.dump == nil)") == "");
  CHECK(error_of(f, "assert(('').dump == nil)") == "");
  CHECK(error_of(f, "assert(getmetatable('').__index.dump == nil)") == "");
}

TEST_CASE("sandbox: load accepts text chunks only", "[sandbox]") {
  LuaFixture f;
  CHECK(error_of(f, "assert(load('return 1 + 1')() == 2)") == "");
  CHECK(error_of(f, "load('return 1', 'x', 'b')") ==
        "wf.lua:2: bad argument #3 to 'load' (only text chunks may be loaded (mode \"t\"))");
  // A binary chunk given as text is refused by Lua's own check in text mode.
  CHECK(error_of(f, "local fn, err = load('\\27Lua') assert(fn == nil) "
                    "assert(err:find('attempt to load a binary chunk'), err)") == "");
}

TEST_CASE("sandbox: loaded chunks see the sandbox, not the full globals", "[sandbox]") {
  LuaFixture f;
  CHECK(error_of(f, "local fn = load('return io') fn()") ==
        "[string \"return io\"]:1: undefined global 'io'");
}

TEST_CASE("sandbox: assigning an undeclared global is an error naming it", "[sandbox]") {
  LuaFixture f;
  CHECK(error_of(f, "counter = 1") ==
        "wf.lua:2: assignment to undeclared global 'counter' (declare it local, e.g. 'local "
        "counter = ...')");
  CHECK(error_of(f, "setmetatable(_ENV, nil)") ==
        "wf.lua:2: cannot change a protected metatable");
}

TEST_CASE("sandbox: require loads only jimu's own scripts", "[sandbox]") {
  LuaFixture f;
  f.dir.write("scripts/route_rules.lua", "return { level = 3 }");
  CHECK(error_of(f, "assert(require('route_rules').level == 3)") == "");
  CHECK(error_of(f, "require('../wf')") ==
        "wf.lua:2: bad argument #1 to 'require' (module names are letters, digits, '_' and '.')");
  std::string missing = error_of(f, "require('os_helpers')");
  CHECK(missing.rfind("wf.lua:2: module 'os_helpers' not found (require loads only jimu's own "
                      "scripts, from ", 0) == 0);
}

TEST_CASE("sandbox: collectgarbage cannot stop the collector", "[sandbox]") {
  LuaFixture f;
  CHECK(error_of(f, "assert(collectgarbage('count') > 0)") == "");
  CHECK(error_of(f, "collectgarbage('stop')") ==
        "wf.lua:2: bad argument #1 to 'collectgarbage' (only \"collect\", \"count\" and \"step\" "
        "are allowed)");
}

TEST_CASE("sandbox: __gc finalizers are refused: Lua runs them with hooks off", "[sandbox]") {
  LuaFixture f;
  CHECK(error_of(f, "setmetatable({}, { __gc = function() while true do end end })") ==
        "wf.lua:2: bad argument #2 to 'setmetatable' (__gc metamethods are not allowed in "
        "workflows; use a <close> variable for clean-up)");
  CHECK(error_of(f, "assert(getmetatable(setmetatable({}, { __index = {} })))") == "");
}

TEST_CASE("sandbox: print goes to the run's log", "[sandbox]") {
  LuaFixture f;
  CHECK(error_of(f, "print('件数', 3)") == "");
  REQUIRE(f.log.lines.size() == 1);
  CHECK(f.log.lines[0].second == "件数\t3");
}

TEST_CASE("sandbox: files outside the allowed folders cannot be read or written", "[sandbox]") {
  LuaFixture f({{"fs", &jimu::open_fs_module}});
  f.dir.write("in/a.txt", "受付");
  CHECK(error_of(f, "assert(jimu.fs.read('in/a.txt') == '受付')") == "");
  CHECK(error_of(f, "local ok, msg, code = jimu.fs.read('/etc/passwd') "
                    "assert(ok == nil and code == 'denied', msg)") == "");
  CHECK(error_of(f, "local ok, msg, code = jimu.fs.read('../../etc/passwd') "
                    "assert(code == 'denied', msg)") == "");
  CHECK(error_of(f, "local ok, msg, code = jimu.fs.write('in/b.txt', 'x') "
                    "assert(code == 'denied', msg) "
                    "assert(msg == 'in/b.txt: may not write outside the folders this workflow is "
                    "allowed (see [files] in jimu.conf)', msg)") == "");
}

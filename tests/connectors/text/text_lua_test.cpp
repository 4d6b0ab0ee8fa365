// jimu.text end to end: a real LuaHost runs workflow code calling the module.
#include "connectors/text/text_lua.h"

#include <catch2/catch.hpp>
#include <string>

#include "engine/script/file_access.h"
#include "engine/script/lua_host.h"
#include "tests/support/temp_dir.h"

namespace {

class KeptLog : public jimu::LogSink {
 public:
  void write(jimu::LogLevel, std::string_view) override {}
};

// Runs body inside a workflow's run(ctx); returns the run's error message, "" on success.
// eq(got, want) is available to the body.
std::string run_lua(const std::string& body) {
  jimu::testing::TempDir dir;
  jimu::FileAccessOptions fo;
  fo.base_dir = dir.path();
  fo.read_roots = {dir.path()};
  fo.write_roots = {dir.path()};
  jimu::FileAccess files(fo);
  KeptLog log;
  jimu::LuaHostOptions o;
  o.scripts_dir = JIMU_SOURCE_DIR "/scripts";
  o.modules = {{"text", &jimu::open_text_module}};
  o.services.files = &files;
  o.services.log = &log;
  auto host = jimu::LuaHost::create(o);
  REQUIRE(host.is_ok());
  std::string path =
      dir.write("t.lua",
                "local function eq(got, want)\n"
                "  if got ~= want then\n"
                "    error(('got [%s], want [%s]'):format(tostring(got), tostring(want)), 2)\n"
                "  end\n"
                "end\n"
                "return jimu.workflow { id = 't', name = 't', run = function(ctx)\n" +
                    body + "\nend }\n");
  auto load = (*host)->load_workflow(path, "t.lua");
  for (const auto& p : load.problems) FAIL(p.message);
  jimu::RunSpec spec;
  spec.workflow_id = "t";
  spec.out_dir = dir.path();
  auto error = (*host)->run(spec);
  return error ? error->message : "";
}

}  // namespace

TEST_CASE("jimu.text: every function works from a workflow", "[text][lua]") {
  CHECK(run_lua(R"lua(
    eq(jimu.text.normalize("①㈱髙ｶﾞ"), "1(株)髙ガ")
    eq(jimu.text.to_halfwidth("ＡＢＣ１２３　ガ"), "ABC123 ｶﾞ")
    eq(jimu.text.to_fullwidth("ABC123 ｶﾞ"), "ＡＢＣ１２３　ガ")
    eq(jimu.text.fold_variants("〜"), "～")
    eq(jimu.text.fold_variants("～", { to = "jis" }), "〜")
    eq(jimu.text.fold_variants("〜", { to = "windows" }), "～")
    eq(jimu.text.width("髙橋 ｶﾅ"), 7)
    eq(jimu.text.width("①", { ambiguous = 2 }), 2)
    eq(jimu.text.trim("\u{3000}山田 太郎\u{3000}\n"), "山田 太郎")
    local masked, n = jimu.text.mask_my_number("番号 123456789018 と 123456789012")
    eq(masked, "番号 ************ と 123456789012")
    eq(n, 1)
    eq(jimu.text.normalize(""), "")
  )lua") == "");
}

TEST_CASE("jimu.text: ill-formed UTF-8 returns nil, message and 'encoding'", "[text][lua]") {
  CHECK(run_lua(R"lua(
    for _, f in ipairs { "normalize", "to_halfwidth", "to_fullwidth", "fold_variants", "width",
                         "trim" } do
      local v, msg, code = jimu.text[f]("ab\xFFc")
      eq(v, nil)
      eq(msg, "invalid UTF-8 at byte 3 (0xFF)")
      eq(code, "encoding")
    end
    local masked, n = jimu.text.mask_my_number("ab\xFFc")
    eq(masked, "ab\xFFc")
    eq(n, 0)
  )lua") == "");
}

TEST_CASE("jimu.text: width classes choose what folds", "[text][lua]") {
  CHECK(run_lua(R"lua(
    local s = "ＡＢ１２－カナ　"
    eq(jimu.text.to_halfwidth(s, { digits = true }), "ＡＢ12－カナ　")
    eq(jimu.text.to_halfwidth(s, { digits = true, kana = true }), "ＡＢ12－ｶﾅ　")
    eq(jimu.text.to_halfwidth(s, { kana = false }), "AB12-カナ ")
    eq(jimu.text.to_halfwidth(s, { ascii = true }), "AB12-カナ　")
    eq(jimu.text.to_halfwidth(s, { ascii = false }), "ＡＢ１２－ｶﾅ ")
    eq(jimu.text.to_halfwidth(s, { ascii = false, digits = true }), "ＡＢ12－カナ　")
    eq(jimu.text.to_halfwidth(s, { ascii = true, symbols = false }), "AB12－カナ　")
    eq(jimu.text.to_fullwidth("ｶﾞ 1", { kana = true }), "ガ 1")
    eq(jimu.text.to_fullwidth("ｶﾞ 1", { space = false }), "ガ １")
  )lua") == "");
}

TEST_CASE("jimu.text: misuse raises naming the argument", "[text][lua]") {
  CHECK(run_lua(R"lua(
    local ok, err = pcall(function() return jimu.text.to_halfwidth("x", { kanji = true }) end)
    eq(ok, false)
    eq(err:match("bad argument.*"), "bad argument #2 to 'to_halfwidth' (unknown option 'kanji' " ..
       "(known: ascii, letters, digits, symbols, space, kana))")
    ok, err = pcall(function() return jimu.text.to_fullwidth("x", { kana = "yes" }) end)
    eq(err:match("bad argument.*"),
       "bad argument #2 to 'to_fullwidth' (option 'kana' (boolean expected, got string))")
    ok, err = pcall(function() return jimu.text.fold_variants("x", { to = "mac" }) end)
    eq(err:match("bad argument.*"),
       "bad argument #2 to 'fold_variants' (option 'to' must be \"windows\" or \"jis\", not \"mac\")")
    ok, err = pcall(function() return jimu.text.width("x", { ambiguous = 3 }) end)
    eq(err:match("bad argument.*"),
       "bad argument #2 to 'width' (option 'ambiguous' must be 1 or 2, not 3)")
    ok, err = pcall(function() return jimu.text.normalize(nil) end)
    eq(err:match("bad argument.*"), "bad argument #1 to 'normalize' (string expected, got nil)")
    ok, err = pcall(function() return jimu.text.trim({}) end)
    eq(err:match("bad argument.*"), "bad argument #1 to 'trim' (string expected, got table)")
  )lua") == "");
}

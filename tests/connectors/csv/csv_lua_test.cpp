// jimu.csv through a real LuaHost: workflows read and write real files in a TempDir and report
// what they saw through jimu.log, which the test captures.
#include "connectors/csv/csv_lua.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/script/file_access.h"
#include "engine/script/lua_host.h"
#include "tests/support/temp_dir.h"

using jimu::testing::read_all;
using jimu::testing::TempDir;

namespace {

class CaptureLog : public jimu::LogSink {
 public:
  void write(jimu::LogLevel, std::string_view message) override { lines.emplace_back(message); }
  std::vector<std::string> lines;
};

struct LuaRun {
  std::string error;  // empty when the run succeeded
  std::vector<std::string> log;
  int64_t items = 0;
};

// Runs body as the run function of a workflow in dir (which it may read and write).
LuaRun run_lua(const TempDir& dir, const std::string& body) {
  std::string path = dir.write("wf.lua",
                               "return jimu.workflow { id = 't', name = 't',\n"
                               "run = function(ctx)\n" +
                                   body + "\nend }\n");
  jimu::FileAccessOptions fo;
  fo.base_dir = dir.path();
  fo.read_roots = {dir.path()};
  fo.write_roots = {dir.path()};
  jimu::FileAccess files(fo);
  CaptureLog log;
  jimu::LuaHostOptions ho;
  ho.modules = {{"csv", &jimu::open_csv_module}};
  ho.services.files = &files;
  ho.services.log = &log;
  auto host = jimu::LuaHost::create(ho);
  REQUIRE(host);
  auto wl = (*host)->load_workflow(path, "wf.lua");
  for (const auto& p : wl.problems) FAIL(p.message);
  std::atomic<int64_t> items{0};
  jimu::RunSpec spec;
  spec.out_dir = dir.path() + "/out";
  spec.items = &items;
  auto err = (*host)->run(spec);
  LuaRun out;
  if (err) out.error = err->message;
  out.log = log.lines;
  out.items = items.load();
  return out;
}

// CP932 for "番号,氏名,ﾌﾘｶﾞﾅ\r\n1,髙橋①,ﾀｶﾊｼ\r\n2,\"㈱髙田, 本社\r\n経理\",ｶﾌﾞ\r\n" spelled in
// bytes.
const std::string kCp932File =
    "\x94\xD4\x8D\x86,\x8E\x81\x96\xBC,\xCC\xD8\xB6\xDE\xC5\r\n"
    "1,\xFB\xFC\x8B\xB4\x87\x40,\xC0\xB6\xCA\xBC\r\n"
    "2,\"\x87\x8A\xFB\xFC\x93\x63, \x96\x7B\x8E\xD0\r\n\x8C\x6F\x97\x9D\",\xB6\xCC\xDE\r\n";

}  // namespace

TEST_CASE("csv lua: rows streams a CP932 file keyed by its header", "[csv][lua]") {
  TempDir dir;
  dir.write("in.csv", kCp932File);
  auto r = run_lua(dir, R"(
    for row in assert(jimu.csv.rows("in.csv", { header = true })) do
      jimu.log.info("%s|%s|%s", row["番号"], row["氏名"], row["ﾌﾘｶﾞﾅ"])
      ctx:processed(1)
    end)");
  CHECK(r.error == "");
  CHECK(r.log == std::vector<std::string>{"1|髙橋①|ﾀｶﾊｼ", "2|㈱髙田, 本社\r\n経理|ｶﾌﾞ"});
  CHECK(r.items == 2);
}

TEST_CASE("csv lua: rows gives arrays, or tables keyed by the names given", "[csv][lua]") {
  TempDir dir;
  dir.write("in.csv", "a,b,c\n1,2\n");
  auto r = run_lua(dir, R"(
    for row in jimu.csv.rows("in.csv") do jimu.log.info("%d %s", #row, table.concat(row, "/")) end
    for row in jimu.csv.rows("in.csv", { header = { "x", "y" } }) do
      jimu.log.info("%s %s %s", row.x, row.y, tostring(row[3]))
    end)");
  CHECK(r.error == "");
  CHECK(r.log == std::vector<std::string>{"3 a/b/c", "2 1/2", "a b c", "1 2 nil"});
}

TEST_CASE("csv lua: rows returns nil, message, code when the file cannot be read", "[csv][lua]") {
  TempDir dir;
  dir.write("bad.csv", "\"never closed\n");
  auto r = run_lua(dir, R"(
    jimu.log.info("%s %s %s", jimu.csv.rows("nope.csv"))
    jimu.log.info("%s %s %s", jimu.csv.rows("bad.csv"))
    jimu.log.info("%s %s %s", jimu.csv.rows("/etc/passwd")))");
  CHECK(r.error == "");
  REQUIRE(r.log.size() == 3);
  CHECK(r.log[0] == "nil nope.csv: no such file not_found");
  CHECK(r.log[1] == "nil bad.csv:1:1: unterminated quoted field parse");
  CHECK(r.log[2].rfind("nil ", 0) == 0);
  CHECK(r.log[2].find(" denied") != std::string::npos);
}

TEST_CASE("csv lua: a parse error in the middle of rows raises with file, line and column",
          "[csv][lua]") {
  TempDir dir;
  dir.write("in.csv", "a,b\n1,2\n3,x\"y\n");
  auto r = run_lua(dir, R"(
    local seen = 0
    local ok, err = pcall(function()
      for row in assert(jimu.csv.rows("in.csv")) do seen = seen + 1 end
    end)
    jimu.log.info("%d %s %s", seen, tostring(ok), err)
    for row in jimu.csv.rows("in.csv") do end)");
  REQUIRE(r.log.size() == 1);
  std::string msg =
      "in.csv:3:4: stray quote in an unquoted field (a field with quotes must be "
      "quoted as a whole, with its quotes doubled)";
  // Raised like error(): the workflow's line first, then the file's.
  CHECK(r.log[0] == "2 false wf.lua:6: " + msg);
  CHECK(r.error == "wf.lua:9: " + msg);  // the run fails with that message
}

TEST_CASE("csv lua: read returns every row or nil, message, code for bad input", "[csv][lua]") {
  TempDir dir;
  dir.write("ok.csv", "id,name\n1,a\n2,b\n");
  dir.write("ragged.csv", "id,name\n1,a\n2,b,c\n");
  dir.write("cut.csv", "id,name\n1,\"a");
  dir.write("sjis.csv", "id\n\xFB\xFC\n");
  dir.write("dup.csv", "id,name,id\n");
  auto r = run_lua(dir, R"(
    local rows = assert(jimu.csv.read("ok.csv", { header = true, strict = true }))
    jimu.log.info("%d %s %s", #rows, rows[1].id, rows[2].name)
    jimu.log.info("%s %s %s", jimu.csv.read("ragged.csv", { header = true, strict = true }))
    jimu.log.info("%d", #assert(jimu.csv.read("ragged.csv", { header = true })))
    jimu.log.info("%s %s %s", jimu.csv.read("cut.csv"))
    jimu.log.info("%s %s %s", jimu.csv.read("sjis.csv", { encoding = "utf-8" }))
    jimu.log.info("%s", assert(jimu.csv.read("sjis.csv", { encoding = "cp932" }))[2][1])
    jimu.log.info("%s %s %s", jimu.csv.read("dup.csv", { header = true })))");
  CHECK(r.error == "");
  CHECK(r.log == std::vector<std::string>{
                     "2 1 b", "nil ragged.csv:3:1: row has 3 fields, expected 2 parse", "2",
                     "nil cut.csv:2:3: unterminated quoted field parse",
                     "nil sjis.csv:2:1: invalid UTF-8 bytes 0xFB encoding", "髙",
                     "nil dup.csv:1:1: column name 'id' appears twice (columns 1 and 3) parse"});
}

TEST_CASE("csv lua: misuse raises naming the unknown option or the bad value", "[csv][lua]") {
  TempDir dir;
  dir.write("in.csv", "a\n");
  auto r = run_lua(dir, R"(
    local function try(f) local ok, e = pcall(f) jimu.log.info("%s", (e:gsub("^wf.lua:%d+: ", ""))) end
    try(function() jimu.csv.read("in.csv", { encodng = "cp932" }) end)
    try(function() jimu.csv.read("in.csv", { encoding = "sjis" }) end)
    try(function() jimu.csv.read("in.csv", { delimiter = ";;" }) end)
    try(function() jimu.csv.write("out.csv", { { {} } }) end)
    try(function() jimu.csv.write("out.csv", {}, { bom = true, encoding = "cp932" }) end))");
  CHECK(r.error == "");
  CHECK(r.log == std::vector<std::string>{
                     "bad argument #2 to 'read' (unknown option 'encodng' (known: encoding, "
                     "header, delimiter, strict, skip_empty_lines))",
                     "bad argument #2 to 'read' (option 'encoding' must be \"auto\", \"utf-8\" "
                     "or \"cp932\", not 'sjis')",
                     "bad argument #2 to 'read' (option 'delimiter' must be one ASCII character "
                     "other than a quote or a line break, such as \",\" or \"\\t\")",
                     "bad argument #2 to 'write' (row 1, column 1: a table cannot be written "
                     "(string, number or boolean expected))",
                     "bad argument #3 to 'write' (option 'bom' applies to utf-8 only)"});
}

TEST_CASE("csv lua: write maps keyed rows by the header and round-trips through CP932",
          "[csv][lua]") {
  TempDir dir;
  auto r = run_lua(dir, R"(
    local rows = {
      { id = 1, name = "髙橋　①", amount = 1234.5, note = "a,\"b\"\nc" },
      { id = 2, name = "ｶﾅ〜", amount = 3.0, paid = true },
    }
    assert(jimu.csv.write("out.csv", rows,
                          { encoding = "cp932", header = { "id", "name", "amount", "note", "paid" } }))
    for row in assert(jimu.csv.rows("out.csv", { header = true, encoding = "cp932" })) do
      jimu.log.info("%s|%s|%s|%s|%s", row.id, row.name, row.amount, row.note, row.paid)
    end)");
  CHECK(r.error == "");
  // 〜 (U+301C) is written as 0x8160, which reads back as ～ (U+FF5E), as on Windows.
  CHECK(r.log == std::vector<std::string>{"1|髙橋　①|1234.5|a,\"b\"\nc|", "2|ｶﾅ～|3||true"});
  CHECK(read_all(dir.file("out.csv")).substr(0, 25) == "id,name,amount,note,paid\r");
}

TEST_CASE("csv lua: a character CP932 lacks fails the write unless a replacement is given",
          "[csv][lua]") {
  TempDir dir;
  auto r = run_lua(dir, R"(
    local rows = { { "id", "name" }, { 1, "𠮷田" } }
    jimu.log.info("%s %s %s", jimu.csv.write("a.csv", rows, { encoding = "cp932" }))
    assert(jimu.csv.write("b.csv", rows, { encoding = "cp932", replacement = "?" }))
    jimu.log.info("%s", assert(jimu.csv.read("b.csv"))[2][2]))");
  CHECK(r.error == "");
  CHECK(r.log ==
        std::vector<std::string>{
            "nil a.csv:2:2: character U+20BB7 '𠮷' cannot be written in CP932 encoding", "?田"});
  CHECK_FALSE(std::filesystem::exists(dir.file("a.csv")));
}

TEST_CASE("csv lua: a writer commits at close and leaves nothing when its scope fails",
          "[csv][lua]") {
  TempDir dir;
  dir.write("kept.csv", "old\r\n");
  auto r = run_lua(dir, R"(
    do
      local w <close> = assert(jimu.csv.writer("scoped.csv", { header = { "k", "v" }, bom = false }))
      assert(w:write { k = "a", v = 1 })
      assert(w:write { "b", 2 })
    end
    local w = assert(jimu.csv.writer("closed.csv", { encoding = "cp932", line_ending = "lf" }))
    assert(w:write { "髙", 0.25 })
    jimu.log.info("%s", tostring(w:close()))
    local ok, err = pcall(function()
      local w <close> = assert(jimu.csv.writer("kept.csv"))
      assert(w:write { "new" })
      error("the workflow failed")
    end)
    local ok2, err2 = pcall(function()
      local w <close> = assert(jimu.csv.writer("x.csv", { header = { "k" } }))
      w:write { k = 1, extra = 2 }
    end)
    jimu.log.info("%s", err2))");
  CHECK(r.error == "");
  CHECK(r.log == std::vector<std::string>{
                     "true",
                     "wf.lua:19: bad argument #1 to 'write' (row 2 has a field 'extra' that is not "
                     "in the header)"});
  CHECK(read_all(dir.file("scoped.csv")) == "k,v\r\na,1\r\nb,2\r\n");
  CHECK(read_all(dir.file("closed.csv")) == "\xFB\xFC,0.25\n");
  CHECK(read_all(dir.file("kept.csv")) == "old\r\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("x.csv")));
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    files += e.is_regular_file();
  CHECK(files == 4);  // wf.lua, kept, scoped, closed: no temporary file left behind
}

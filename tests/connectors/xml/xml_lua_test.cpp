// jimu.xml end to end: workflows run in a real LuaHost against real files.
#include "connectors/xml/xml_lua.h"

#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "engine/script/lua_host.h"
#include "tests/support/temp_dir.h"

using jimu::testing::read_all;
using jimu::testing::TempDir;

namespace {

class Lines : public jimu::LogSink {
 public:
  void write(jimu::LogLevel, std::string_view message) override {
    text += std::string(message) + "\n";
  }
  std::string text;
};

// Runs the workflow body (the inside of run = function(ctx) ... end) in dir; returns the log, or
// the error prefixed with "error: ".
struct Harness {
  TempDir dir;
  Lines log;
  jimu::FileAccess files;
  std::unique_ptr<jimu::LuaHost> host;
  size_t memory_limit = 64u << 20;

  std::string run(const std::string& body) {
    jimu::FileAccessOptions fo;
    fo.base_dir = dir.path();
    fo.read_roots = {dir.path()};
    fo.write_roots = {dir.path()};
    files = jimu::FileAccess(fo);
    jimu::LuaHostOptions o;
    o.memory_limit_bytes = memory_limit;
    o.modules = {{"xml", &jimu::open_xml_module}};
    o.services.files = &files;
    o.services.log = &log;
    auto h = jimu::LuaHost::create(o);
    REQUIRE(h);
    host = std::move(h).value();
    std::string path = dir.write("wf.lua",
                                 "return jimu.workflow { id = 't', name = 't', run = "
                                 "function(ctx)\n" +
                                     body + "\nend }\n");
    auto loaded = host->load_workflow(path, "wf.lua");
    REQUIRE(loaded.problems.empty());
    jimu::RunSpec spec;
    spec.out_dir = dir.path();
    auto err = host->run(spec);
    if (err) return "error: " + err->message;
    return log.text;
  }
};

}  // namespace

TEST_CASE("jimu.xml: load and select give plain tables", "[xml][lua]") {
  Harness h;
  std::string src = std::string(JIMU_SOURCE_DIR) + "/samples/doc-receipt/in/received-2026-11.xml";
  h.dir.write("in/received.xml", read_all(src));
  std::string out = h.run(R"LUA(
    local doc <close> = assert(jimu.xml.load("in/received.xml"))
    local docs = doc:select("/export/document")
    local d = docs[1]
    jimu.log.info("%d %s %s %s", #docs, d.tag, d.attrs.id, d.children[1].text)
    jimu.log.info("%s %d", d.children[1].tag, #d.children[1].children)
    jimu.log.info("%s", math.type(doc:select_one("count(//document)")))
    jimu.log.info("%d", doc:select_one("count(//document)"))
    jimu.log.info("%s", table.concat(doc:select("//document[@electronic='false']/@id"), ","))
    jimu.log.info("%s", doc:select_one("//document[3]/title/text()"))
    jimu.log.info("%s", tostring(doc:select_one("//nothing")))
    jimu.log.info("%s", tostring(doc:select_one("count(//document) > 5")))
    jimu.log.info("%s", doc:select_one("sum(//amount)"))
  )LUA");
  CHECK(out ==
        "6 document R-2026-000101 ㈱髙橋建設からの道路占用許可申請書（市道①号線）の収受について\n"
        "title 0\n"
        "integer\n"
        "6\n"
        "R-2026-000102,R-2026-000105\n"
        "情報公開請求書（R&D推進室の会議録）\n"
        "nil\n"
        "true\n"
        "39836400\n");
}

TEST_CASE("jimu.xml: failures return nil, message, code", "[xml][lua]") {
  Harness h;
  h.dir.write("bad.xml", "<export>\n  <document>\n  </documnt>\n</export>\n");
  std::string out = h.run(R"LUA(
    jimu.log.info("%s|%s|%s", jimu.xml.load("bad.xml"))
    jimu.log.info("%s|%s|%s", jimu.xml.load("none.xml"))
    jimu.log.info("%s|%s|%s", jimu.xml.parse("<a>&nbsp;</a>", { name = "inline" }))
    jimu.log.info("%s|%s|%s", jimu.xml.each("bad.xml", "/export/document", function() end))
  )LUA");
  CHECK(out ==
        "nil|bad.xml:3:3: mismatched end tag: expected </document>, found </documnt>|parse\n"
        "nil|none.xml: no such file|not_found\n"
        "nil|inline:1:4: unknown entity '&nbsp;' (XML defines only &lt; &gt; &amp; &quot; &apos; "
        "and character references)|parse\n"
        "nil|bad.xml:3:3: mismatched end tag: expected </document>, found </documnt>|parse\n");
}

TEST_CASE("jimu.xml: misuse raises", "[xml][lua]") {
  Harness h;
  h.dir.write("a.xml", "<a/>");
  CHECK(h.run(R"LUA(jimu.xml.load("a.xml", { encodng = "utf-8" }))LUA") ==
        "error: wf.lua:2: bad argument #2 to 'load' (unknown option 'encodng' (known: encoding))");
  CHECK(h.run(R"LUA(local d = jimu.xml.load("a.xml"); d:select("//a["))LUA")
            .rfind("error: wf.lua:2: bad argument #1 to 'select' (XPath '//a[': ", 0) == 0);
  CHECK(h.run(R"LUA(jimu.xml.each("a.xml", "//a", function() end))LUA") ==
        "error: wf.lua:2: bad argument #2 to 'each' (record path '//a' is not supported: use an "
        "absolute path of element names such as /export/document (a step may be *))");
  CHECK(h.run(R"LUA(local d = jimu.xml.load("a.xml"); d:close(); d:select("/a"))LUA") ==
        "error: wf.lua:2: attempt to use a closed jimu.xml.doc");
  CHECK(h.run(R"LUA(jimu.xml.write("o.xml", { tag = "a", children = { { text = "x" } } }))LUA") ==
        "error: wf.lua:2: bad argument #2 to 'write' (node.children[1].tag must be a string)");
}

TEST_CASE("jimu.xml: each streams records, stops on false and passes errors of fn", "[xml][lua]") {
  Harness h;
  std::string src = std::string(JIMU_SOURCE_DIR) + "/samples/doc-receipt/in/received-2026-11.xml";
  h.dir.write("r.xml", read_all(src));
  std::string out = h.run(R"LUA(
    local ids = {}
    local n = assert(jimu.xml.each("r.xml", "/export/document", function(d)
      ids[#ids + 1] = d.attrs.id
      if #ids == 2 then return false end
    end))
    jimu.log.info("%d %s", n, table.concat(ids, ","))
    local ok, err = pcall(jimu.xml.each, "r.xml", "/export/document", function(d) error("boom " .. d.attrs.id) end)
    jimu.log.info("%s %s", ok, err)
  )LUA");
  CHECK(out == "2 R-2026-000101,R-2026-000102\nfalse wf.lua:9: boom R-2026-000101\n");
}

TEST_CASE("jimu.xml: each with flat = true gives one table per record", "[xml][lua]") {
  Harness h;
  std::string src = std::string(JIMU_SOURCE_DIR) + "/samples/doc-receipt/in/received-2026-11.xml";
  h.dir.write("r.xml", read_all(src));
  std::string out = h.run(R"LUA(
    local total = 0
    assert(jimu.xml.each("r.xml", "/export/document", function(d)
      total = total + tonumber(d.amount)
      if d["@id"] == "R-2026-000106" then
        jimu.log.info("%s %s %s %s %s", d["@electronic"], d.category, d.division, d.title, d.route)
      end
    end, { flat = true }))
    jimu.log.info("%d", total)
  )LUA");
  CHECK(out == "true 契約 総務課 ㈲山﨑商店 物品購入見積書（コピー用紙 A4 ①～③） \n39836400\n");
}

TEST_CASE("jimu.xml: write then load round-trips in UTF-8 and Shift_JIS", "[xml][lua]") {
  Harness h;
  std::string out = h.run(R"LUA(
    local root = { tag = "export", attrs = { period = "2026-11" }, children = {} }
    for i = 1, 3 do
      root.children[i] = { tag = "document", attrs = { { "id", "D-" .. i }, { "electronic", i ~= 2 } },
        children = { { tag = "title", text = "㈱髙橋 ①～③ R&D <\"案\">" }, { tag = "amount", text = 1000 * i } } }
    end
    assert(jimu.xml.write("u.xml", root))
    assert(jimu.xml.write("s.xml", root, { encoding = "shift_jis", indent = 0 }))
    for _, f in ipairs({ "u.xml", "s.xml" }) do
      local doc = assert(jimu.xml.load(f))
      local d = doc:select_one("/export/document[2]")
      jimu.log.info("%s %s %s %s", d.attrs.id, d.attrs.electronic, d.children[1].text, d.children[2].text)
    end
    jimu.log.info("%s|%s|%s", jimu.xml.write("bad.xml", { tag = "a", text = "𠮟" }, { encoding = "shift_jis" }))
  )LUA");
  CHECK(out ==
        "D-2 false ㈱髙橋 ①～③ R&D <\"案\"> 2000\n"
        "D-2 false ㈱髙橋 ①～③ R&D <\"案\"> 2000\n"
        "nil|bad.xml: /a: character U+20B9F '𠮟' cannot be written in Shift_JIS (CP932); "
        "write UTF-8 or replace it|encoding\n");
  CHECK(read_all(h.dir.file("u.xml")).find("<document id=\"D-1\" electronic=\"true\">") !=
        std::string::npos);
  CHECK(read_all(h.dir.file("s.xml"))
            .rfind("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<export "
                   "period=\"2026-11\"><document id=\"D-1\"",
                   0) == 0);
  CHECK_FALSE(std::ifstream(h.dir.file("bad.xml")).good());
}

TEST_CASE("jimu.xml: each streams a 50 MB export in bounded memory", "[xml][lua]") {
  Harness h;
  h.memory_limit = 24u << 20;  // far less than the file: only streaming can pass
  {
    std::ofstream f(h.dir.file("big.xml"), std::ios::binary);
    f << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<export period=\"2026-11\">\n";
    std::string pad(260, 'x');
    for (int i = 0; i < 100000; ++i) {
      f << "  <document id=\"R-" << i << "\" electronic=\"" << (i % 3 ? "true" : "false")
        << "\">\n    <title>㈱髙橋建設 道路占用許可申請書 ①～③ " << i << "</title>\n"
        << "    <category>許認可</category><division>道路管理課</division>\n"
        << "    <amount>" << i * 10 << "</amount><note>" << pad << "</note>\n"
        << "    <route><step approver=\"u1\"/><step approver=\"u2\"/></route>\n  </document>\n";
    }
    f << "</export>\n";
  }
  REQUIRE(std::filesystem::file_size(h.dir.file("big.xml")) > (50u << 20));
  struct rusage before;
  getrusage(RUSAGE_SELF, &before);
  std::string out = h.run(R"LUA(
    local peak, electronic = 0, 0
    local n = assert(jimu.xml.each("big.xml", "/export/document", function(d)
      if d.attrs.electronic == "true" then electronic = electronic + 1 end
      local kb = collectgarbage("count")
      if kb > peak then peak = kb end
    end))
    jimu.log.info("%d %d %s", n, electronic, peak < 8 * 1024 and "small" or ("peak " .. peak .. " KB"))
  )LUA");
  struct rusage after;
  getrusage(RUSAGE_SELF, &after);
  CHECK(out == "100000 66666 small\n");
  CHECK(h.host->memory_used() < (8u << 20));
  // The C++ side stays bounded too: the process grew by far less than the file. (Not under
  // AddressSanitizer, whose quarantine keeps freed memory resident on purpose.)
#ifndef __SANITIZE_ADDRESS__
  CHECK(after.ru_maxrss - before.ru_maxrss < 20 * 1024);
#endif
}

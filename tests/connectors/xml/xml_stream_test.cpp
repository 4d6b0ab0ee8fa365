#include "connectors/xml/xml_stream.h"

#include <iconv.h>

#include <catch2/catch.hpp>
#include <functional>

#include "tests/support/temp_dir.h"

using jimu::Code;
using jimu::testing::TempDir;
using namespace jimu::xml;

namespace {

// Collects records; stops after stop_after when it is > 0.
class Collect : public RecordSink {
 public:
  explicit Collect(size_t stop_after = 0) : stop_after_(stop_after) {}
  void open_element(std::string_view tag, std::string_view text, size_t a, size_t c) override {
    builder_.open_element(tag, text, a, c);
  }
  void attribute(std::string_view n, std::string_view v) override { builder_.attribute(n, v); }
  void close_element() override { builder_.close_element(); }
  void string_value(std::string_view) override {}
  void number_value(double) override {}
  void boolean_value(bool) override {}
  bool record_done() override {
    records.push_back(std::move(builder_.values.back().node));
    builder_.values.clear();
    return stop_after_ == 0 || records.size() < stop_after_;
  }
  std::vector<XmlNode> records;

 private:
  NodeBuilder builder_;
  size_t stop_after_;
};

jimu::Result<size_t> run(const std::string& path, const std::string& record_path, Collect& sink,
                         size_t read_size = 1 << 20) {
  StreamOptions o;
  o.read_size = read_size;
  auto names = parse_record_path(record_path);
  REQUIRE(names);
  return each_record(path, "in/x.xml", *names, sink, o);
}

jimu::Status stream_error(const std::string& text, size_t read_size = 1 << 20) {
  TempDir dir;
  Collect sink;
  auto n = run(dir.write("x.xml", text), "/export/document", sink, read_size);
  REQUIRE_FALSE(n);
  return n.status();
}

const char* kExport = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- 収受文書 -->
<export period="2026-11">
  <header><system>文書管理</system></header>
  <document id="D-1" electronic="true">
    <title>㈱髙橋建設 申請書 ①～③ &amp; 〜</title>
    <route><step approver="u1"/><step approver="u2"/></route>
  </document>
  <document id="D-2"/>
  <document id="D-3"><title><![CDATA[a <b> c]]></title></document>
</export>
)";

}  // namespace

TEST_CASE("xml each: records arrive as trees in file order", "[xml]") {
  TempDir dir;
  Collect sink;
  auto n = run(dir.write("x.xml", kExport), "/export/document", sink);
  REQUIRE(n);
  CHECK(*n == 3);
  REQUIRE(sink.records.size() == 3);
  CHECK(*sink.records[0].attr("id") == "D-1");
  CHECK(sink.records[0].child("title")->text == "㈱髙橋建設 申請書 ①～③ & 〜");
  CHECK(sink.records[0].child("route")->children.size() == 2);
  CHECK(*sink.records[1].attr("id") == "D-2");
  CHECK(sink.records[2].child("title")->text == "a <b> c");
}

TEST_CASE("xml each: the same records whatever the size of the pieces read", "[xml]") {
  TempDir dir;
  std::string path = dir.write("x.xml", kExport);
  for (size_t piece : {1, 2, 3, 5, 7, 11, 64}) {
    Collect sink;
    auto n = run(path, "/export/document", sink, piece);
    REQUIRE(n);
    CHECK(*n == 3);
    CHECK(sink.records[0].child("title")->text == "㈱髙橋建設 申請書 ①～③ & 〜");
    CHECK(sink.records[2].child("title")->text == "a <b> c");
  }
}

TEST_CASE("xml each: a step may be * and other paths select other records", "[xml]") {
  TempDir dir;
  std::string path = dir.write("x.xml", kExport);
  Collect any;
  CHECK(*run(path, "/export/*", any) == 4);
  CHECK(any.records[0].tag == "header");
  Collect steps;
  CHECK(*run(path, "/export/document/route/step", steps) == 2);
  CHECK(*steps.records[1].attr("approver") == "u2");
  Collect none;
  CHECK(*run(path, "/exports/document", none) == 0);
}

TEST_CASE("xml each: returning false stops early", "[xml]") {
  TempDir dir;
  Collect sink(2);
  auto n = run(dir.write("x.xml", kExport), "/export/document", sink);
  REQUIRE(n);
  CHECK(*n == 2);
  CHECK(sink.records.size() == 2);
}

TEST_CASE("xml each: unsupported record paths are invalid", "[xml]") {
  for (const char* p : {"export/document", "//document", "/export/document[1]", "/export/@id", "/",
                        "/export//document"}) {
    auto r = parse_record_path(p);
    REQUIRE_FALSE(r);
    CHECK(r.status().code() == Code::kInvalid);
    CHECK(r.status().message() ==
          "record path '" + std::string(p) +
              "' is not supported: use an absolute path of element names such as "
              "/export/document (a step may be *)");
  }
  CHECK(parse_record_path("/dms:export/dms:document")->size() == 2);
}

TEST_CASE("xml each: errors carry file:line:col whatever the piece size", "[xml]") {
  std::string text =
      "<export>\n  <document id=\"1\"><t>a</t></document>\n  <document id=\"2\">\n"
      "    <t>髙橋</title>\n  </document>\n</export>\n";
  for (size_t piece : {1, 3, 8, 1 << 20}) {
    auto s = stream_error(text, piece);
    CHECK(s.code() == Code::kParse);
    CHECK(s.message() == "in/x.xml:4:10: mismatched end tag: expected </t>, found </title>");
  }
}

TEST_CASE("xml each: a truncated export names the innermost open element", "[xml]") {
  auto s = stream_error("<export>\n<document id=\"1\"/>\n<document id=\"2\">\n <route>\n  <step/");
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() == "in/x.xml:5:9: unexpected end of file inside the start tag <step>");
  auto t = stream_error("<export>\n<document id=\"1\"/>\n<document id=\"2\">\n <route>\n");
  CHECK(t.message() == "in/x.xml:5:1: unexpected end of file inside element <route>");
  auto u = stream_error("<export>\n<document id=\"1\"/>\n");
  CHECK(u.message() == "in/x.xml:3:1: unexpected end of file inside element <export>");
}

TEST_CASE("xml each: bad entities, characters and attributes inside records", "[xml]") {
  CHECK(stream_error("<export><document>&bogus;</document></export>").message() ==
        "in/x.xml:1:19: unknown entity '&bogus;' (XML defines only &lt; &gt; &amp; &quot; "
        "&apos; and character references)");
  CHECK(stream_error("<export>\n<document>\x02</document></export>").message() ==
        "in/x.xml:2:11: character U+0002 is not allowed in XML 1.0");
  CHECK(stream_error("<export>\n<document id=1/></export>").message() ==
        "in/x.xml:2:14: malformed attribute: expected name=\"value\" or name='value'");
}

TEST_CASE("xml each: a wrong declared encoding is an encoding error at its place", "[xml]") {
  std::string text =
      "<?xml version=\"1.0\" "
      "encoding=\"UTF-8\"?>\n<export>\n<document>ab\x92\x86</document>\n</export>";
  for (size_t piece : {2, 1 << 20}) {
    auto s = stream_error(text, piece);
    CHECK(s.code() == Code::kEncoding);
    CHECK(s.message() ==
          "in/x.xml:3:13: bytes 0x92 0x86 are not valid UTF-8, the encoding the file declares "
          "(\"UTF-8\")");
  }
}

TEST_CASE("xml each: records before a bad byte are delivered first", "[xml]") {
  TempDir dir;
  Collect sink;
  auto n = run(dir.write("x.xml", "<export><document id=\"1\"/><document>\xFF</document></export>"),
               "/export/document", sink);
  REQUIRE_FALSE(n);
  CHECK(sink.records.size() == 1);
}

TEST_CASE("xml each: a Shift_JIS export streams as UTF-8", "[xml]") {
  std::string utf8 = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<export>";
  for (int i = 0; i < 200; ++i) utf8 += "<document><title>㈱髙橋 ①～③ ｶﾅ</title></document>";
  utf8 += "</export>";
  iconv_t cd = iconv_open("CP932", "UTF-8");
  std::string sjis(utf8.size() * 2, '\0');
  char* in = utf8.data();
  size_t il = utf8.size();
  char* out = sjis.data();
  size_t ol = sjis.size();
  REQUIRE(iconv(cd, &in, &il, &out, &ol) != static_cast<size_t>(-1));
  iconv_close(cd);
  sjis.resize(sjis.size() - ol);
  TempDir dir;
  std::string path = dir.write("s.xml", sjis);
  for (size_t piece : {3, 4096}) {
    Collect sink;
    auto n = run(path, "/export/document", sink, piece);
    REQUIRE(n);
    CHECK(*n == 200);
    CHECK(sink.records[199].child("title")->text == "㈱髙橋 ①～③ ｶﾅ");
  }
}

TEST_CASE("xml each: a missing file is not_found", "[xml]") {
  TempDir dir;
  Collect sink;
  auto n = run(dir.file("none.xml"), "/export/document", sink);
  REQUIRE_FALSE(n);
  CHECK(n.status().code() == Code::kNotFound);
  CHECK(n.status().message() == "in/x.xml: no such file");
}

TEST_CASE("xml each: flat records carry attributes as @name and child texts by tag", "[xml]") {
  TempDir dir;
  Collect sink;
  StreamOptions o;
  o.flat = true;
  auto names = parse_record_path("/export/document");
  auto n =
      each_record(dir.write("x.xml",
                            "<export><document id=\"D-1\" electronic=\"true\">"
                            "<title>㈱髙橋 &amp; ①</title><amount>100</amount>"
                            "<title>second</title><note>前<b>x</b>後</note><route><step/></route>"
                            "</document></export>"),
                  "in/x.xml", *names, sink, o);
  REQUIRE(n);
  REQUIRE(sink.records.size() == 1);
  const XmlNode& r = sink.records[0];
  CHECK(r.tag == "document");
  CHECK(r.children.empty());
  std::vector<std::pair<std::string, std::string>> expected = {
      {"@id", "D-1"},    {"@electronic", "true"}, {"title", "㈱髙橋 & ①"},
      {"amount", "100"}, {"note", "前後"},        {"route", ""}};
  CHECK(r.attrs == expected);
}

TEST_CASE("xml each: a UTF-16 export with a byte order mark streams", "[xml]") {
  std::u16string text = u"<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<export>";
  for (int i = 0; i < 50; ++i) text += u"<document><title>㈱髙橋 ①～</title></document>";
  text += u"</export>";
  std::string bytes = "\xFF\xFE";
  for (char16_t c : text) {
    bytes += static_cast<char>(c & 0xFF);
    bytes += static_cast<char>(c >> 8);
  }
  TempDir dir;
  std::string path = dir.write("u.xml", bytes);
  for (size_t piece : {5, 4096}) {
    Collect sink;
    auto n = run(path, "/export/document", sink, piece);
    REQUIRE(n);
    CHECK(*n == 50);
    CHECK(sink.records[49].child("title")->text == "㈱髙橋 ①～");
  }
}

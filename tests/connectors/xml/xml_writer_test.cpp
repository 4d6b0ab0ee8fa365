#include "connectors/xml/xml_writer.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "connectors/xml/xml_document.h"
#include "tests/support/temp_dir.h"

using jimu::Code;
using jimu::testing::read_all;
using jimu::testing::TempDir;
using namespace jimu::xml;

namespace {

XmlNode leaf(std::string tag, std::string text) {
  XmlNode n;
  n.tag = std::move(tag);
  n.text = std::move(text);
  return n;
}

XmlNode sample_export() {
  XmlNode root;
  root.tag = "export";
  root.attrs = {{"period", "2026-11"}};
  for (int i = 1; i <= 3; ++i) {
    XmlNode d;
    d.tag = "document";
    d.attrs = {{"id", "D-" + std::to_string(i)}, {"electronic", "true"}};
    d.children.push_back(leaf("title", "㈱髙橋建設 ①～③ ｶﾅ R&D <案> \"引用\" 'x'"));
    d.children.push_back(leaf("decision", "承認"));
    root.children.push_back(std::move(d));
  }
  return root;
}

XmlValue first(const XmlDocument& doc, const std::string& xpath) {
  NodeBuilder b;
  REQUIRE(doc.select(xpath, b, 1));
  REQUIRE(b.values.size() == 1);
  return b.values[0];
}

}  // namespace

TEST_CASE("xml write: the output is indented, escaped and declared", "[xml]") {
  XmlNode root;
  root.tag = "a";
  root.attrs = {{"q", "\"R&D\" <'x'>\t\n"}};
  root.children.push_back(leaf("t", "R&D <案> ]]> \"ok\" 'ok'"));
  root.children.push_back(leaf("e", ""));
  auto out = serialize(root, {});
  REQUIRE(out);
  CHECK(*out ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<a q=\"&quot;R&amp;D&quot; &lt;&apos;x&apos;&gt;&#9;&#10;\">\n"
        "  <t>R&amp;D &lt;案&gt; ]]&gt; \"ok\" 'ok'</t>\n"
        "  <e/>\n"
        "</a>\n");
  WriteOptions flat;
  flat.indent = 0;
  flat.declaration = false;
  CHECK(*serialize(root, flat) ==
        "<a q=\"&quot;R&amp;D&quot; &lt;&apos;x&apos;&gt;&#9;&#10;\"><t>R&amp;D &lt;案&gt; ]]&gt; "
        "\"ok\" 'ok'</t><e/></a>\n");
}

TEST_CASE("xml write: mixed content keeps its exact text", "[xml]") {
  XmlNode p = leaf("p", "前");
  p.children.push_back(leaf("b", "太字"));
  auto out = serialize(p, {});
  CHECK(*out == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<p>前<b>太字</b></p>\n");
}

TEST_CASE("xml write: a UTF-8 round trip gives back every value", "[xml]") {
  TempDir dir;
  std::string path = dir.file("out.xml");
  REQUIRE(write_xml_file(path, "out/out.xml", sample_export(), {}));
  auto doc = XmlDocument::load(path, "out/out.xml");
  REQUIRE(doc);
  XmlValue t = first(**doc, "/export/document[3]/title");
  CHECK(t.node.text == "㈱髙橋建設 ①～③ ｶﾅ R&D <案> \"引用\" 'x'");
  CHECK(first(**doc, "/export/document[2]/@id").string == "D-2");
}

TEST_CASE("xml write: attribute values with tabs, newlines and CR survive a round trip", "[xml]") {
  XmlNode n = leaf("a", "行1\r\n行2");
  n.attrs = {{"v", "x\ty\nz\r"}};
  auto doc = XmlDocument::parse(*serialize(n, {}), "x");
  REQUIRE(doc);
  CHECK(first(**doc, "/a/@v").string == "x\ty\nz\r");
  CHECK(first(**doc, "/a").node.text == "行1\r\n行2");
}

TEST_CASE("xml write: Shift_JIS output is CP932, declared Shift_JIS, and reads back", "[xml]") {
  TempDir dir;
  std::string path = dir.file("sjis.xml");
  WriteOptions o;
  o.encoding = OutputEncoding::kShiftJis;
  REQUIRE(write_xml_file(path, "out/sjis.xml", sample_export(), o));
  std::string bytes = read_all(path);
  CHECK(bytes.rfind("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n", 0) == 0);
  CHECK(bytes.find("\x87\x40") != std::string::npos);  // ① in CP932 (NEC row 13)
  CHECK(bytes.find("\xFB\xFC") != std::string::npos);  // 髙 in CP932 (IBM extension)
  auto doc = XmlDocument::load(path, "out/sjis.xml");
  REQUIRE(doc);
  CHECK(first(**doc, "/export/document[1]/title").node.text ==
        "㈱髙橋建設 ①～③ ｶﾅ R&D <案> \"引用\" 'x'");
}

TEST_CASE("xml write: Windows-31J is declared as such", "[xml]") {
  WriteOptions o;
  o.encoding = OutputEncoding::kWindows31J;
  auto out = serialize(leaf("a", "髙"), o);
  REQUIRE(out);
  CHECK(*out == "<?xml version=\"1.0\" encoding=\"Windows-31J\"?>\n<a>\xFB\xFC</a>\n");
}

TEST_CASE("xml write: the wave dash U+301C is written as CP932 0x8160", "[xml]") {
  WriteOptions o;
  o.encoding = OutputEncoding::kShiftJis;
  o.declaration = false;
  CHECK(*serialize(leaf("a", "〜"), o) == "<a>\x81\x60</a>\n");
}

TEST_CASE("xml write: a character Shift_JIS cannot hold is an encoding error naming the node",
          "[xml]") {
  XmlNode root = sample_export();
  root.children[2].children[0].text = "𠮟責の件";
  WriteOptions o;
  o.encoding = OutputEncoding::kShiftJis;
  auto out = serialize(root, o);
  REQUIRE_FALSE(out);
  CHECK(out.status().code() == Code::kEncoding);
  CHECK(out.status().message() ==
        "/export/document[3]/title: character U+20B9F '𠮟' cannot be written in Shift_JIS "
        "(CP932); write UTF-8 or replace it");
  root = sample_export();
  root.children[1].attrs[0].second = "D-😀";
  out = serialize(root, o);
  CHECK(out.status().message() ==
        "/export/document[2]/@id: character U+1F600 '😀' cannot be written in Shift_JIS "
        "(CP932); write UTF-8 or replace it");
  // The same tree is fine in UTF-8.
  CHECK(serialize(root, {}));
}

TEST_CASE("xml write: a control character is an invalid error naming the node", "[xml]") {
  XmlNode root = sample_export();
  root.children[0].children[1].text = "承認\x07";
  auto out = serialize(root, {});
  REQUIRE_FALSE(out);
  CHECK(out.status().code() == Code::kInvalid);
  CHECK(out.status().message() ==
        "/export/document[1]/decision: character U+0007 (a control character) is not allowed "
        "in XML 1.0");
}

TEST_CASE("xml write: bytes that are not UTF-8 are an encoding error", "[xml]") {
  auto out = serialize(leaf("a", "ab\x93\xFA"), {});
  REQUIRE_FALSE(out);
  CHECK(out.status().code() == Code::kEncoding);
  CHECK(out.status().message() == "/a: the text is not valid UTF-8 (byte 3)");
}

TEST_CASE("xml write: invalid element and attribute names are invalid errors", "[xml]") {
  XmlNode root = leaf("export", "");
  root.children.push_back(leaf("1st", "x"));
  CHECK(serialize(root, {}).status().message() ==
        "/export/1st: '1st' is not a valid XML element name");
  XmlNode a = leaf("a", "");
  a.attrs = {{"bad name", "x"}};
  CHECK(serialize(a, {}).status().message() ==
        "/a/@bad name: 'bad name' is not a valid XML attribute name");
}

TEST_CASE("xml write: a failed write leaves no file and keeps the existing one", "[xml]") {
  TempDir dir;
  std::string path = dir.write("out.xml", "previous content");
  XmlNode root = sample_export();
  root.children[0].children[0].text = "𠮟";
  WriteOptions o;
  o.encoding = OutputEncoding::kShiftJis;
  jimu::Status s = write_xml_file(path, "out/out.xml", root, o);
  REQUIRE_FALSE(s);
  CHECK(s.message().rfind("out/out.xml: /export/document[1]/title: character U+20B9F", 0) == 0);
  CHECK(read_all(path) == "previous content");
  std::string fresh = dir.file("fresh.xml");
  CHECK_FALSE(write_xml_file(fresh, "out/fresh.xml", root, o));
  CHECK_FALSE(std::filesystem::exists(fresh));
  // Nothing else was left in the folder (no temporary file).
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  CHECK(files == 1);
}

TEST_CASE("xml write: a folder that cannot be written is an io error and leaves nothing", "[xml]") {
  TempDir dir;
  std::filesystem::create_directory(dir.file("ro"));
  ::chmod(dir.file("ro").c_str(), 0555);
  jimu::Status s = write_xml_file(dir.file("ro/out.xml"), "out/ro/out.xml", sample_export(), {});
  ::chmod(dir.file("ro").c_str(), 0755);
  if (::geteuid() == 0) {
    SUCCEED("root ignores folder permissions");
    return;
  }
  REQUIRE_FALSE(s);
  CHECK(s.code() == Code::kIo);
}

TEST_CASE("xml write: a missing folder is not_found", "[xml]") {
  TempDir dir;
  jimu::Status s =
      write_xml_file(dir.file("no/such/out.xml"), "out/no/such/out.xml", sample_export(), {});
  REQUIRE_FALSE(s);
  CHECK(s.code() == Code::kNotFound);
  CHECK(s.message() == "out/no/such/out.xml: no such folder");
}

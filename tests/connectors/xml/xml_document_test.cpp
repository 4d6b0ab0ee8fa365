#include "connectors/xml/xml_document.h"

#include <iconv.h>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

using jimu::Code;
using jimu::testing::TempDir;
using namespace jimu::xml;

namespace {

std::string to_cp932(const std::string& utf8) {
  iconv_t cd = iconv_open("CP932", "UTF-8");
  std::string out(utf8.size() * 2 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* dst = out.data();
  size_t room = out.size();
  size_t rc = iconv(cd, &in, &in_left, &dst, &room);
  iconv_close(cd);
  REQUIRE(rc != static_cast<size_t>(-1));
  out.resize(out.size() - room);
  return out;
}

std::vector<XmlValue> select(const XmlDocument& doc, const std::string& xpath) {
  NodeBuilder b;
  auto n = doc.select(xpath, b);
  REQUIRE(n);
  return std::move(b.values);
}

// The status of parsing text that must fail.
jimu::Status parse_error(const std::string& text) {
  auto doc = XmlDocument::parse(text, "in/x.xml");
  REQUIRE_FALSE(doc);
  return doc.status();
}

const char* kExport = R"(<?xml version="1.0" encoding="UTF-8"?>
<export period="2026-11">
  <document id="D-1" electronic="true">
    <title>㈱髙橋建設 申請書 ①～③</title>
    <amount>1250000</amount>
  </document>
  <document id="D-2" electronic="false">
    <title>R&amp;D &lt;要望&gt; 〜 ｶﾅ</title>
    <note>前<b>太字</b>後</note>
    <empty/>
  </document>
</export>
)";

}  // namespace

TEST_CASE("xml: select returns elements as tables with tag, attrs, text and children", "[xml]") {
  auto doc = XmlDocument::parse(kExport, "in/x.xml");
  REQUIRE(doc);
  auto docs = select(**doc, "/export/document");
  REQUIRE(docs.size() == 2);
  const XmlNode& d1 = docs[0].node;
  CHECK(d1.tag == "document");
  CHECK(*d1.attr("id") == "D-1");
  CHECK(*d1.attr("electronic") == "true");
  CHECK(d1.text == "");
  REQUIRE(d1.children.size() == 2);
  CHECK(d1.child("title")->text == "㈱髙橋建設 申請書 ①～③");
  CHECK(docs[1].node.child("title")->text == "R&D <要望> 〜 ｶﾅ");
}

TEST_CASE("xml: the text of mixed content is the element's own text, children apart", "[xml]") {
  auto doc = XmlDocument::parse(kExport, "in/x.xml");
  REQUIRE(doc);
  auto note = select(**doc, "//note");
  REQUIRE(note.size() == 1);
  CHECK(note[0].node.text == "前後");
  REQUIRE(note[0].node.children.size() == 1);
  CHECK(note[0].node.children[0].text == "太字");
  auto empty = select(**doc, "//empty");
  CHECK(empty[0].node.text == "");
  CHECK(empty[0].node.children.empty());
}

TEST_CASE("xml: attributes, text nodes and XPath values come back as plain values", "[xml]") {
  auto doc = XmlDocument::parse(kExport, "in/x.xml");
  REQUIRE(doc);
  auto ids = select(**doc, "//document/@id");
  REQUIRE(ids.size() == 2);
  CHECK(ids[0].kind == XmlValue::Kind::kString);
  CHECK(ids[1].string == "D-2");
  auto texts = select(**doc, "//title/text()");
  CHECK(texts[0].string == "㈱髙橋建設 申請書 ①～③");
  auto count = select(**doc, "count(//document)");
  REQUIRE(count.size() == 1);
  CHECK(count[0].kind == XmlValue::Kind::kNumber);
  CHECK(count[0].number == 2);
  auto sum = select(**doc, "sum(//amount)");
  CHECK(sum[0].number == 1250000);
  auto b = select(**doc, "count(//document) > 1");
  CHECK(b[0].kind == XmlValue::Kind::kBoolean);
  CHECK(b[0].boolean);
  auto s = select(**doc, "string(//document[2]/@id)");
  CHECK(s[0].string == "D-2");
  auto by_attr = select(**doc, "//document[@electronic='false']/title");
  CHECK(by_attr[0].node.text == "R&D <要望> 〜 ｶﾅ");
}

TEST_CASE("xml: select_one's limit stops at the first result in document order", "[xml]") {
  auto doc = XmlDocument::parse(kExport, "in/x.xml");
  REQUIRE(doc);
  NodeBuilder b;
  auto n = (*doc)->select("//title", b, 1);
  REQUIRE(n);
  CHECK(*n == 1);
  CHECK(b.values[0].node.text == "㈱髙橋建設 申請書 ①～③");
  NodeBuilder none;
  CHECK(*(*doc)->select("//nothing", none, 1) == 0);
}

TEST_CASE("xml: a malformed XPath is an invalid error naming it", "[xml]") {
  auto doc = XmlDocument::parse(kExport, "in/x.xml");
  REQUIRE(doc);
  NodeBuilder b;
  auto n = (*doc)->select("//document[", b);
  REQUIRE_FALSE(n);
  CHECK(n.status().code() == Code::kInvalid);
  CHECK(n.status().message().rfind("XPath '//document[': ", 0) == 0);
}

TEST_CASE("xml: namespace prefixes are kept in names and matched as written", "[xml]") {
  auto doc = XmlDocument::parse(
      R"(<dms:export xmlns:dms="urn:example:dms"><dms:document dms:id="N-1">本文</dms:document></dms:export>)",
      "in/ns.xml");
  REQUIRE(doc);
  auto docs = select(**doc, "/dms:export/dms:document");
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].node.tag == "dms:document");
  CHECK(*docs[0].node.attr("dms:id") == "N-1");
  auto root = select(**doc, "/*");
  CHECK(*root[0].node.attr("xmlns:dms") == "urn:example:dms");
}

TEST_CASE("xml: a Shift_JIS file is read as CP932 with ①, ㈱, 髙 and ～ intact", "[xml]") {
  TempDir dir;
  std::string text =
      std::string("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n") +
      "<export><document id=\"S-1\"><title>㈱髙橋 ①～③ ｶﾅ</title></document></export>\n";
  std::string path = dir.write("sjis.xml", to_cp932(text));
  auto doc = XmlDocument::load(path, "in/sjis.xml");
  REQUIRE(doc);
  auto t = select(**doc, "//title");
  CHECK(t[0].node.text == "㈱髙橋 ①～③ ｶﾅ");
}

TEST_CASE("xml: Windows-31J, CP932 and EUC-JP declarations are read", "[xml]") {
  TempDir dir;
  for (const char* name : {"Windows-31J", "CP932", "x-sjis"}) {
    std::string text = std::string("<?xml version=\"1.0\" encoding=\"") + name + "\"?><a>髙橋</a>";
    auto doc = XmlDocument::load(dir.write("a.xml", to_cp932(text)), "a.xml");
    REQUIRE(doc);
    CHECK(select(**doc, "/a")[0].node.text == "髙橋");
  }
  iconv_t cd = iconv_open("EUC-JP", "UTF-8");
  std::string utf8 = "<?xml version=\"1.0\" encoding=\"EUC-JP\"?><a>漢字かな</a>";
  std::string euc(64, '\0');
  char* in = utf8.data();
  size_t il = utf8.size();
  char* out = euc.data();
  size_t ol = euc.size();
  iconv(cd, &in, &il, &out, &ol);
  iconv_close(cd);
  euc.resize(euc.size() - ol);
  auto doc = XmlDocument::load(dir.write("e.xml", euc), "e.xml");
  REQUIRE(doc);
  CHECK(select(**doc, "/a")[0].node.text == "漢字かな");
}

TEST_CASE("xml: UTF-16 with a byte order mark is read", "[xml]") {
  std::string le = "\xFF\xFE";
  for (char c : std::string("<a x=\"1\">")) le += {c, '\0'};
  le += "\x42\x30";  // あ U+3042
  for (char c : std::string("</a>")) le += {c, '\0'};
  auto doc = XmlDocument::parse(le, "u16.xml");
  REQUIRE(doc);
  CHECK(select(**doc, "/a")[0].node.text == "あ");
}

TEST_CASE("xml: the encoding option overrides a missing declaration", "[xml]") {
  ReadOptions o;
  o.encoding = "shift_jis";
  auto doc = XmlDocument::parse(to_cp932("<a>髙橋</a>"), "a.xml", o);
  REQUIRE(doc);
  CHECK(select(**doc, "/a")[0].node.text == "髙橋");
}

TEST_CASE("xml: Shift_JIS bytes in a file declared UTF-8 are an encoding error at their place",
          "[xml]") {
  std::string text =
      to_cp932("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n  <t>ab髙橋</t>\n</a>");
  auto doc = XmlDocument::parse(text, "in/x.xml");
  REQUIRE_FALSE(doc);
  CHECK(doc.status().code() == Code::kEncoding);
  CHECK(doc.status().message() ==
        "in/x.xml:3:8: bytes 0xFB 0xFC are not valid UTF-8, the encoding the file declares "
        "(\"UTF-8\")");
}

TEST_CASE("xml: UTF-8 bytes in a file declared Shift_JIS are an encoding error", "[xml]") {
  // "€" in UTF-8 is E2 82 AC: CP932 reads E2 82 as a kanji and AC as half-width ｬ (such
  // mistakes often go unnoticed), but the 0xFF that follows is no CP932 byte.
  auto doc = XmlDocument::parse(
      "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<a>\xE2\x82\xAC\xFF</a>", "in/x.xml");
  REQUIRE_FALSE(doc);
  CHECK(doc.status().code() == Code::kEncoding);
  CHECK(doc.status().message() ==
        "in/x.xml:2:6: bytes 0xFF 0x3C are not valid Shift_JIS (CP932), the encoding the file "
        "declares (\"Shift_JIS\")");
}

TEST_CASE("xml: an unsupported declared encoding is named", "[xml]") {
  auto doc = XmlDocument::parse("<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><a/>", "in/x.xml");
  REQUIRE_FALSE(doc);
  CHECK(doc.status().code() == Code::kEncoding);
  CHECK(doc.status().message() ==
        "in/x.xml:1:31: unsupported encoding \"ISO-2022-JP\" (jimu reads UTF-8, UTF-16, "
        "Shift_JIS/CP932 and EUC-JP)");
}

TEST_CASE("xml: a mismatched end tag names the expected and the found tag", "[xml]") {
  auto s = parse_error("<export>\n  <document>\n    <title>x</title>\n  </documnt>\n</export>");
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() == "in/x.xml:4:3: mismatched end tag: expected </document>, found </documnt>");
}

TEST_CASE("xml: a truncated file names the innermost open element", "[xml]") {
  auto s = parse_error("<export>\n <document>\n  <route>\n   <step/>");
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() == "in/x.xml:4:11: unexpected end of file inside element <route>");
}

TEST_CASE("xml: columns count characters, not bytes", "[xml]") {
  auto s = parse_error("<a>髙橋①</b>");
  CHECK(s.message() == "in/x.xml:1:7: mismatched end tag: expected </a>, found </b>");
}

TEST_CASE("xml: an unknown entity is a parse error", "[xml]") {
  auto s = parse_error("<a>\n <t>株式&nbsp;会社</t>\n</a>");
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() ==
        "in/x.xml:2:7: unknown entity '&nbsp;' (XML defines only &lt; &gt; &amp; &quot; &apos; "
        "and character references)");
}

TEST_CASE("xml: a bare ampersand is a parse error, in text and in attributes", "[xml]") {
  CHECK(parse_error("<a>R & D</a>").message() ==
        "in/x.xml:1:6: '&' that does not start an entity reference (found '& D'): write a "
        "literal '&' as &amp;");
  CHECK(parse_error("<a t=\"R&D\"/>").message() ==
        "in/x.xml:1:8: '&' that does not start an entity reference (found '&D\"/>'): write a "
        "literal '&' as &amp;");
}

TEST_CASE("xml: a character reference to a forbidden character is a parse error", "[xml]") {
  CHECK(parse_error("<a>&#1;</a>").message() ==
        "in/x.xml:1:4: character reference '&#1;' names a character XML 1.0 does not allow");
  auto ok = XmlDocument::parse("<a>&#x9AD9;&#26441;</a>", "x");
  REQUIRE(ok);
  CHECK(select(**ok, "/a")[0].node.text == "髙杉");
}

TEST_CASE("xml: a control character in the text is a parse error", "[xml]") {
  auto s = parse_error("<a>\n請求\x01書</a>");
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() == "in/x.xml:2:3: character U+0001 is not allowed in XML 1.0");
}

TEST_CASE("xml: a malformed attribute is reported with pugixml's place", "[xml]") {
  auto s = parse_error("<a>\n<b id=D-1/></a>");
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() ==
        "in/x.xml:2:7: malformed attribute: expected name=\"value\" or name='value'");
}

TEST_CASE("xml: text outside the root, a second root and an empty file are parse errors", "[xml]") {
  CHECK(parse_error("abc<a/>").message() ==
        "in/x.xml:1:1: text before the root element: expected '<'");
  CHECK(parse_error("<a/>\n<b/>").message() ==
        "in/x.xml:2:1: a second root element <b> after </a>: a document has one root");
  CHECK(parse_error("<?xml version=\"1.0\"?>\n").message() ==
        "in/x.xml:2:1: no root element: the file holds no XML element");
  CHECK(parse_error("<a></a>\nxyz").message() ==
        "in/x.xml:2:1: text after the end of the root element </a>");
}

TEST_CASE("xml: a missing file is not_found", "[xml]") {
  TempDir dir;
  auto doc = XmlDocument::load(dir.file("none.xml"), "in/none.xml");
  REQUIRE_FALSE(doc);
  CHECK(doc.status().code() == Code::kNotFound);
  CHECK(doc.status().message() == "in/none.xml: no such file");
}

TEST_CASE("xml: comments, CDATA, processing instructions and a DOCTYPE are accepted", "[xml]") {
  auto doc = XmlDocument::parse(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE export [<!ELEMENT export ANY>]>\n"
      "<!-- a < b & c -->\n<export><?dms page=\"1\"?><t><![CDATA[a < b & c]]></t></export>",
      "x");
  REQUIRE(doc);
  CHECK(select(**doc, "//t")[0].node.text == "a < b & c");
}

TEST_CASE("xml: the sample export of received documents loads", "[xml]") {
  auto doc = XmlDocument::load(
      std::string(JIMU_SOURCE_DIR) + "/samples/doc-receipt/in/received-2026-11.xml",
      "received-2026-11.xml");
  REQUIRE(doc);
  auto docs = select(**doc, "/export/document");
  REQUIRE(docs.size() == 6);
  CHECK(docs[0].node.child("title")->text ==
        "㈱髙橋建設からの道路占用許可申請書（市道①号線）の収受について");
  CHECK(select(**doc, "count(//document[@electronic='true'])")[0].number == 4);
}

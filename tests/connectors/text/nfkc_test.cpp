#include "connectors/text/nfkc.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

using jimu::Code;
using jimu::text::normalize_nfkc;

namespace {

std::string nfkc(const std::string& s) {
  auto r = normalize_nfkc(s);
  REQUIRE(r.is_ok());
  return *r;
}

// NFKC of each line by Python's unicodedata: an implementation independent of ICU.
std::vector<std::string> python_nfkc(const std::vector<std::string>& lines) {
  jimu::testing::TempDir dir;
  std::string in;
  for (const auto& l : lines) in += l + "\n";
  std::string in_path = dir.write("in.txt", in);
  std::string out_path = dir.file("out.txt");
  std::string cmd =
      "/usr/bin/python3 -c \"import sys, unicodedata; "
      "d = open(sys.argv[1], encoding='utf-8', newline='').read(); "
      "open(sys.argv[2], 'w', encoding='utf-8', newline='').write("
      "''.join(unicodedata.normalize('NFKC', l) + chr(10) for l in d.split(chr(10))[:-1]))\" " +
      in_path + " " + out_path;
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::string out = jimu::testing::read_all(out_path);
  std::vector<std::string> result;
  size_t start = 0;
  for (size_t nl; (nl = out.find('\n', start)) != std::string::npos; start = nl + 1) {
    result.push_back(out.substr(start, nl - start));
  }
  return result;
}

}  // namespace

TEST_CASE("nfkc: circled and parenthesised compatibility characters unfold", "[text][nfkc]") {
  CHECK(nfkc("①") == "1");
  CHECK(nfkc("⑳") == "20");
  CHECK(nfkc("㈱") == "(株)");
  CHECK(nfkc("㍻") == "平成");
  CHECK(nfkc("㌔") == "キロ");
}

TEST_CASE("nfkc: 髙 is not a compatibility character and stays", "[text][nfkc]") {
  CHECK(nfkc("髙橋") == "髙橋");
  CHECK(nfkc("﨑") == "﨑");  // U+FA11 is a CJK compatibility *ideograph* without a decomposition
}

TEST_CASE("nfkc: half-width katakana compose with their sound marks", "[text][nfkc]") {
  CHECK(nfkc("ｶﾞ") == "ガ");
  CHECK(nfkc("ﾊﾟﾋﾟﾌﾟ") == "パピプ");
  CHECK(nfkc("ｳﾞ") == "ヴ");
  CHECK(nfkc("ｼﾞｮｳﾎｳ") == "ジョウホウ");
}

TEST_CASE("nfkc: full-width ASCII and the ideographic space become ASCII", "[text][nfkc]") {
  CHECK(nfkc("ＡＢＣ１２３") == "ABC123");
  CHECK(nfkc("東京都\u3000千代田区") == "東京都 千代田区");
}

TEST_CASE("nfkc: the full-width tilde folds to ~ but the wave dash stays", "[text][nfkc]") {
  CHECK(nfkc("～") == "~");   // U+FF5E has a compatibility mapping
  CHECK(nfkc("〜") == "〜");  // U+301C has none
}

TEST_CASE("nfkc: the empty string normalises to itself", "[text][nfkc]") { CHECK(nfkc("") == ""); }

TEST_CASE("nfkc: ill-formed UTF-8 is an encoding error naming the byte", "[text][nfkc]") {
  auto r = normalize_nfkc(
      "ab\xFF"
      "c");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kEncoding);
  CHECK(r.status().message() == "invalid UTF-8 at byte 3 (0xFF)");

  auto truncated = normalize_nfkc("㈱\xE3\x81");  // the first two bytes of あ
  REQUIRE_FALSE(truncated.is_ok());
  CHECK(truncated.status().message() == "invalid UTF-8 at byte 4 (0xE3)");

  auto surrogate = normalize_nfkc("\xED\xA0\x80");  // U+D800 encoded: not UTF-8
  REQUIRE_FALSE(surrogate.is_ok());
  CHECK(surrogate.status().message() == "invalid UTF-8 at byte 1 (0xED)");

  auto overlong = normalize_nfkc("\xC0\xAF");
  REQUIRE_FALSE(overlong.is_ok());
  CHECK(overlong.status().message() == "invalid UTF-8 at byte 1 (0xC0)");
}

TEST_CASE("nfkc: agrees with Python's unicodedata on long-stable characters", "[text][nfkc]") {
  // Characters assigned long before Unicode 14 (Python 3.11's data), so both agree by definition.
  std::vector<std::string> lines = {
      "①②③⑩⑳",
      "㈱㈲㈹",
      "㍻㍼㍽㍾",
      "㌔㌘㍉㍍",
      "ｱｲｳｴｵｶﾞｷﾞﾊﾟﾋﾟﾌﾟｳﾞｰ",
      "ＡＢＣａｂｃ０１２",
      "！＂＃＄％＆＇（）＊＋，－．／：；＜＝＞？＠［＼］＾＿｀｛｜｝～",
      "\u3000全角スペース",
      "髙橋﨑",
      "〜～‖∥−－¢￠£￡¬￢",
      "Ⅰ Ⅱ Ⅻ ⅰ ⅻ",
      "㎏㎡㎝",
      "ﬁ ﬂ",
      "ｶ\u3099 か\u3099 は\u309a",
      "丸の内１－２－３　ﾏﾙﾉｳﾁ",
      "¹²³ ½ ¼",
      "",
      "普通の文章です。",
      "e\u0301 café",
      "㋐㋑㋒",
      "⑴⑵",
      "⒈⒉",
      "ｧｨｩｪｫｬｭｮｯ",
      "｡｢｣､･"};
  std::vector<std::string> expected = python_nfkc(lines);
  REQUIRE(expected.size() == lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i << ": " << lines[i]);
    CHECK(nfkc(lines[i]) == expected[i]);
  }
}

TEST_CASE("nfkc: text longer than one piece normalises as a whole", "[text][nfkc]") {
  // ~3 MiB of half-width kana with sound marks, so piece boundaries fall where ｶ and ﾞ must
  // compose; the result must equal Python's NFKC of the whole line.
  std::string unit = "ｶﾞｷﾞﾊﾟ①ａ";  // 3 bytes per character
  std::string big;
  while (big.size() < (size_t{3} << 20)) big += unit;
  int ticks = 0;
  auto r = normalize_nfkc(big, [&] { ++ticks; });
  REQUIRE(r.is_ok());
  std::vector<std::string> expected = python_nfkc({big});
  REQUIRE(expected.size() == 1);
  CHECK(*r == expected[0]);
  CHECK(ticks >= 2);
}

#include "connectors/text/width_fold.h"

#include <catch2/catch.hpp>
#include <string>

#include "connectors/text/nfkc.h"
#include "connectors/text/utf8.h"

using jimu::Code;
using jimu::text::to_fullwidth;
using jimu::text::to_halfwidth;
using jimu::text::WidthClasses;

namespace {

std::string half(const std::string& s, const WidthClasses& c = {}) {
  auto r = to_halfwidth(s, c);
  REQUIRE(r.is_ok());
  return *r;
}

std::string full(const std::string& s, const WidthClasses& c = {}) {
  auto r = to_fullwidth(s, c);
  REQUIRE(r.is_ok());
  return *r;
}

std::string utf8_of(char32_t c) {
  std::string s;
  jimu::text::utf8::append(s, c);
  return s;
}

WidthClasses only(bool letters, bool digits, bool symbols, bool space, bool kana) {
  WidthClasses c;
  c.letters = letters;
  c.digits = digits;
  c.symbols = symbols;
  c.space = space;
  c.kana = kana;
  return c;
}

}  // namespace

TEST_CASE("width: full-width letters and digits fold to ASCII and back", "[text][width]") {
  CHECK(half("ＡＢＣ１２３") == "ABC123");
  CHECK(full("ABC123") == "ＡＢＣ１２３");
  CHECK(half("ａｂｃｘｙｚ") == "abcxyz");
}

TEST_CASE("width: voiced and semi-voiced katakana split and compose", "[text][width]") {
  CHECK(half("ガ") == "ｶﾞ");
  CHECK(half("パピプペポ") == "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ");
  CHECK(half("ヴ") == "ｳﾞ");
  CHECK(half("ジョウホウシステム") == "ｼﾞｮｳﾎｳｼｽﾃﾑ");
  CHECK(full("ｶﾞ") == "ガ");
  CHECK(full("ﾊﾟﾋﾟﾌﾟ") == "パピプ");
  CHECK(full("ｳﾞ") == "ヴ");
  CHECK(full("ﾜﾞｦﾞ") == "ヷヺ");
  CHECK(full("ｼﾞｮｳﾎｳｼｽﾃﾑ") == "ジョウホウシステム");
}

TEST_CASE("width: a sound mark that cannot compose becomes the spacing mark", "[text][width]") {
  CHECK(full("ｱﾞ") == "ア゛");
  CHECK(full("ｶﾟ") == "カ゜");
  CHECK(full("ﾞ") == "゛");
  CHECK(full("ﾞｶ") == "゛カ");
}

TEST_CASE("width: combining and spacing sound marks become half-width marks", "[text][width]") {
  CHECK(half("カ\u3099") == "ｶﾞ");
  CHECK(half("ハ\u309A") == "ﾊﾟ");
  CHECK(half("゛゜") == "ﾞﾟ");
}

TEST_CASE("width: kana punctuation and the long vowel mark fold both ways", "[text][width]") {
  CHECK(half("「コーヒー」、・。") == "｢ｺｰﾋｰ｣､･｡");
  CHECK(full("｡｢｣､･") == "。「」、・");
}

TEST_CASE("width: the ideographic space and the ASCII space fold", "[text][width]") {
  CHECK(half("山田\u3000太郎") == "山田 太郎");
  CHECK(full("山田 太郎") == "山田\u3000太郎");
}

TEST_CASE("width: characters without a half-width form stay", "[text][width]") {
  CHECK(half("ヰヱヮヵヶヸヹ") == "ヰヱヮヵヶヸヹ");
  CHECK(half("ひらがな①㈱髙〜") == "ひらがな①㈱髙〜");
  CHECK(full("ひらがな①㈱髙〜") == "ひらがな①㈱髙〜");
}

TEST_CASE("width: the full-width tilde folds to ~ like any full-width symbol", "[text][width]") {
  CHECK(half("～") == "~");
  CHECK(full("~") == "～");
  CHECK(half("〜") == "〜");  // the wave dash is not a full-width form
}

TEST_CASE("width: a mixed line folds only what has the other width", "[text][width]") {
  CHECK(half("株式会社ﾃｽﾄ　ＴＥＬ：０３－１２３４－５６７８（代表）") ==
        "株式会社ﾃｽﾄ TEL:03-1234-5678(代表)");
  CHECK(full("株式会社ﾃｽﾄ TEL:03-1234-5678(代表)") ==
        "株式会社テスト\u3000ＴＥＬ：０３－１２３４－５６７８（代表）");
}

TEST_CASE("width: only the chosen classes are converted", "[text][width]") {
  std::string s = "ＡＢ１２－カナ　";
  CHECK(half(s, only(false, true, false, false, false)) == "ＡＢ12－カナ　");
  CHECK(half(s, only(true, false, false, false, false)) == "AB１２－カナ　");
  CHECK(half(s, only(false, false, true, false, false)) == "ＡＢ１２-カナ　");
  CHECK(half(s, only(false, false, false, true, false)) == "ＡＢ１２－カナ ");
  CHECK(half(s, only(false, false, false, false, true)) == "ＡＢ１２－ｶﾅ　");
  std::string h = "AB12-ｶﾞﾅ ";
  CHECK(full(h, only(false, false, false, false, true)) == "AB12-ガナ ");
  CHECK(full(h, only(true, true, true, true, false)) == "ＡＢ１２－ｶﾞﾅ\u3000");
}

TEST_CASE("width: control characters and DEL are never widened", "[text][width]") {
  CHECK(full("a\tb\n\x7F") == "ａ\tｂ\n\x7F");
}

TEST_CASE("width: empty strings fold to empty strings", "[text][width]") {
  CHECK(half("") == "");
  CHECK(full("") == "");
}

TEST_CASE("width: ill-formed UTF-8 is an encoding error naming the byte", "[text][width]") {
  auto h = to_halfwidth("ガ\x80");
  REQUIRE_FALSE(h.is_ok());
  CHECK(h.status().code() == Code::kEncoding);
  CHECK(h.status().message() == "invalid UTF-8 at byte 4 (0x80)");
  auto f = to_fullwidth("abc\xE3\x82");
  REQUIRE_FALSE(f.is_ok());
  CHECK(f.status().code() == Code::kEncoding);
  CHECK(f.status().message() == "invalid UTF-8 at byte 4 (0xE3)");
}

TEST_CASE("width: every half-width kana widens to what NFKC makes of it", "[text][width]") {
  // The tables were typed from Unicode data; ICU's NFKC checks them independently. The lone sound
  // marks differ on purpose (spacing ゛゜ instead of NFKC's combining U+3099/U+309A).
  for (char32_t c = 0xFF61; c <= 0xFF9D; ++c) {
    std::string h = utf8_of(c);
    INFO("U+" << std::hex << static_cast<uint32_t>(c));
    CHECK(full(h) == *jimu::text::normalize_nfkc(h));
    for (char32_t mark : {char32_t{0xFF9E}, char32_t{0xFF9F}}) {
      std::string hm = h + utf8_of(mark);
      std::string n = *jimu::text::normalize_nfkc(hm);
      // NFKC composes when a composed character exists; otherwise keeps a combining mark, where
      // the fold writes the spacing mark.
      std::string spacing = utf8_of(mark == 0xFF9E ? 0x309B : 0x309C);
      std::string combining = utf8_of(mark == 0xFF9E ? 0x3099 : 0x309A);
      std::string expected = n;
      if (n.size() > combining.size() &&
          n.compare(n.size() - combining.size(), combining.size(), combining) == 0) {
        expected = n.substr(0, n.size() - combining.size()) + spacing;
      }
      CHECK(full(hm) == expected);
    }
  }
}

TEST_CASE("width: every katakana with a half-width form round-trips", "[text][width]") {
  int with_form = 0;
  for (char32_t c = 0x30A1; c <= 0x30FC; ++c) {
    std::string k = utf8_of(c);
    std::string h = half(k);
    INFO("U+" << std::hex << static_cast<uint32_t>(c));
    if (h == k) continue;  // no half-width form
    ++with_form;
    CHECK(full(h) == k);
    CHECK(*jimu::text::normalize_nfkc(h) == k);
  }
  // 90 katakana U+30A1-U+30FA, ・ and ー, less ヮ ヰ ヱ ヵ ヶ ヸ ヹ: 92 - 7.
  CHECK(with_form == 85);
}

TEST_CASE("width: folding 3 MiB calls the tick and keeps every byte", "[text][width]") {
  std::string unit = "ﾃｽﾄ ﾃﾞｰﾀ ABC 123 ";
  std::string big;
  while (big.size() < (size_t{3} << 20)) big += unit;
  int ticks = 0;
  auto f = to_fullwidth(big, {}, [&] { ++ticks; });
  REQUIRE(f.is_ok());
  CHECK(ticks >= 2);
  auto back = to_halfwidth(*f, {}, [&] { ++ticks; });
  REQUIRE(back.is_ok());
  CHECK(*back == big);
}

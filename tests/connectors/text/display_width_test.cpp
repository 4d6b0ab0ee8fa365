#include "connectors/text/display_width.h"

#include <catch2/catch.hpp>

using jimu::Code;
using jimu::text::display_width;

namespace {
int64_t width(const std::string& s, int ambiguous = 1) {
  auto r = display_width(s, ambiguous);
  REQUIRE(r.is_ok());
  return *r;
}
}  // namespace

TEST_CASE("display width: kanji, kana and full-width forms count 2", "[text][display_width]") {
  CHECK(width("髙橋") == 4);
  CHECK(width("ひらがなカタカナ") == 16);
  CHECK(width("ＡＢＣ１２３") == 12);
  CHECK(width("\u3000") == 2);
  CHECK(width("㈱") == 2);
}

TEST_CASE("display width: ASCII and half-width kana count 1", "[text][display_width]") {
  CHECK(width("ABC 123") == 7);
  CHECK(width("ｶﾞｷﾞ") == 4);  // the half-width sound mark is a character of its own
}

TEST_CASE("display width: combining marks, format and control characters count 0",
          "[text][display_width]") {
  CHECK(width("カ\u3099") == 2);
  CHECK(width("e\u0301") == 1);
  CHECK(width("a\u200Bb") == 2);
  CHECK(width("a\tb\n") == 2);
}

TEST_CASE("display width: ambiguous characters count as the caller says", "[text][display_width]") {
  CHECK(width("①○") == 2);
  CHECK(width("①○", 2) == 4);
}

TEST_CASE("display width: the empty string is 0 wide", "[text][display_width]") {
  CHECK(width("") == 0);
}

TEST_CASE("display width: ill-formed UTF-8 is an encoding error", "[text][display_width]") {
  auto r = display_width("髙\xC3");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kEncoding);
  CHECK(r.status().message() == "invalid UTF-8 at byte 4 (0xC3)");
}

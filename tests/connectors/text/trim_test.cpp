#include "connectors/text/trim.h"

#include <catch2/catch.hpp>

using jimu::Code;

namespace {
std::string trim(const std::string& s) {
  auto r = jimu::text::trim(s);
  REQUIRE(r.is_ok());
  return std::string(*r);
}
}  // namespace

TEST_CASE("trim: ideographic and ASCII spaces go from both ends", "[text][trim]") {
  CHECK(trim("\u3000山田 太郎\u3000") == "山田 太郎");
  CHECK(trim(" \t\u3000 ㈱テスト\r\n") == "㈱テスト");
  CHECK(trim("\u00A0髙\u00A0") == "髙");
}

TEST_CASE("trim: spaces inside stay", "[text][trim]") {
  CHECK(trim("山田\u3000太郎") == "山田\u3000太郎");
}

TEST_CASE("trim: a string of spaces or nothing trims to empty", "[text][trim]") {
  CHECK(trim("") == "");
  CHECK(trim("\u3000\u3000 ") == "");
}

TEST_CASE("trim: a character ending in the bytes of no space is kept", "[text][trim]") {
  // 〠 U+3020 is E3 80 A0, sharing two bytes with U+3000: only a whole U+3000 is space.
  CHECK(trim("\u3020") == "\u3020");
  CHECK(trim("ｶ ") == "ｶ");
}

TEST_CASE("trim: ill-formed UTF-8 is an encoding error", "[text][trim]") {
  auto r = jimu::text::trim(" \xFF ");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kEncoding);
  CHECK(r.status().message() == "invalid UTF-8 at byte 2 (0xFF)");
}

#include "connectors/text/variant_fold.h"

#include <iconv.h>

#include <catch2/catch.hpp>
#include <string>

using jimu::Code;
using jimu::text::fold_variants;
using jimu::text::VariantSide;

namespace {

std::string fold(const std::string& s, VariantSide to) {
  auto r = fold_variants(s, to);
  REQUIRE(r.is_ok());
  return *r;
}

// bytes converted by glibc iconv from one encoding to another ("" on failure).
std::string iconv_convert(const std::string& bytes, const char* from, const char* to) {
  iconv_t cd = iconv_open(to, from);
  REQUIRE(cd != reinterpret_cast<iconv_t>(-1));
  std::string in = bytes;
  std::string out(64, '\0');
  char* ip = in.data();
  size_t il = in.size();
  char* op = out.data();
  size_t ol = out.size();
  size_t n = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  if (n == static_cast<size_t>(-1)) return "";
  out.resize(out.size() - ol);
  return out;
}

struct Pair {
  const char* cp932;
  const char* jis;
  const char* windows;
};

// The six pairs as the fold defines them, with their CP932 bytes.
const Pair kPairs[] = {
    {"\x81\x60", "〜", "～"}, {"\x81\x61", "‖", "∥"},  {"\x81\x7C", "−", "－"},
    {"\x81\x91", "¢", "￠"},  {"\x81\x92", "£", "￡"}, {"\x81\xCA", "¬", "￢"},
};

}  // namespace

TEST_CASE("variants: the wave dash and the full-width tilde fold both ways", "[text][variants]") {
  CHECK(fold("10時〜12時", VariantSide::kWindows) == "10時～12時");
  CHECK(fold("10時～12時", VariantSide::kJis) == "10時〜12時");
  CHECK(fold("〜～", VariantSide::kWindows) == "～～");
  CHECK(fold("〜～", VariantSide::kJis) == "〜〜");
}

TEST_CASE("variants: the windows side is what glibc's CP932 decodes to", "[text][variants]") {
  for (const Pair& p : kPairs) {
    INFO(p.jis << " / " << p.windows);
    CHECK(iconv_convert(p.cp932, "CP932", "UTF-8") == p.windows);
    CHECK(fold(p.jis, VariantSide::kWindows) == p.windows);
    CHECK(fold(p.windows, VariantSide::kWindows) == p.windows);
  }
}

TEST_CASE("variants: the jis side is what glibc's SHIFT_JIS and EUC-JP decode to",
          "[text][variants]") {
  for (const Pair& p : kPairs) {
    INFO(p.jis << " / " << p.windows);
    CHECK(iconv_convert(p.cp932, "SHIFT_JIS", "UTF-8") == p.jis);
    CHECK(fold(p.windows, VariantSide::kJis) == p.jis);
    CHECK(fold(p.jis, VariantSide::kJis) == p.jis);
  }
}

TEST_CASE("variants: both sides of a pair encode to the same CP932 bytes", "[text][variants]") {
  // Why folding is for comparing, not for writing: glibc's CP932 accepts either side.
  for (const Pair& p : kPairs) {
    INFO(p.jis << " / " << p.windows);
    CHECK(iconv_convert(p.jis, "UTF-8", "CP932") == p.cp932);
    CHECK(iconv_convert(p.windows, "UTF-8", "CP932") == p.cp932);
  }
}

TEST_CASE("variants: other characters, the empty string and ASCII stay", "[text][variants]") {
  CHECK(fold("", VariantSide::kWindows) == "");
  CHECK(fold("①㈱髙ｶﾅ ~-", VariantSide::kWindows) == "①㈱髙ｶﾅ ~-");
  CHECK(fold("①㈱髙ｶﾅ ~-", VariantSide::kJis) == "①㈱髙ｶﾅ ~-");
}

TEST_CASE("variants: ill-formed UTF-8 is an encoding error naming the byte", "[text][variants]") {
  auto r = fold_variants("〜\xFE", VariantSide::kJis);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kEncoding);
  CHECK(r.status().message() == "invalid UTF-8 at byte 4 (0xFE)");
}

#include "connectors/text/variant_fold.h"

#include "connectors/text/utf8.h"

namespace jimu::text {
namespace {

struct VariantPair {
  char32_t jis;
  char32_t windows;
};

// Checked against glibc iconv in tests/connectors/text/variant_fold_test.cpp.
constexpr VariantPair kPairs[] = {
    {0x301C, 0xFF5E},  // 〜 ～  0x8160
    {0x2016, 0x2225},  // ‖ ∥  0x8161
    {0x2212, 0xFF0D},  // − －  0x817C
    {0x00A2, 0xFFE0},  // ¢ ￠  0x8191
    {0x00A3, 0xFFE1},  // £ ￡  0x8192
    {0x00AC, 0xFFE2},  // ¬ ￢  0x81CA
};

// The other side's character for c, or 0 when c is not the from-side of a pair.
char32_t fold(char32_t c, VariantSide to) {
  for (const auto& pair : kPairs) {
    if (to == VariantSide::kWindows && c == pair.jis) return pair.windows;
    if (to == VariantSide::kJis && c == pair.windows) return pair.jis;
  }
  return 0;
}

}  // namespace

Result<std::string> fold_variants(std::string_view s, VariantSide to, const Tick& tick) {
  auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  auto* end = begin + s.size();
  auto* p = begin;
  auto* copied = begin;
  auto* next_tick = begin + kTickBytes;
  std::string out;
  out.reserve(s.size());
  while (p < end) {
    if (*p < 0x80) {
      ++p;
      continue;
    }
    if (p >= next_tick && tick) {
      tick();
      next_tick = p + kTickBytes;
    }
    auto* at = p;
    char32_t c = utf8::decode(p, end);
    if (c == utf8::kInvalid) return utf8::invalid_at(s, static_cast<size_t>(at - begin));
    char32_t folded = fold(c, to);
    if (folded == 0) continue;
    out.append(reinterpret_cast<const char*>(copied), static_cast<size_t>(at - copied));
    utf8::append(out, folded);
    copied = p;
  }
  out.append(reinterpret_cast<const char*>(copied), static_cast<size_t>(end - copied));
  return out;
}

}  // namespace jimu::text

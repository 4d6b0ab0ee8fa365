#include "connectors/text/width_fold.h"

#include <cstdint>

#include "connectors/text/utf8.h"

namespace jimu::text {
namespace {

// Full-width katakana U+30A1..U+30FC -> half-width: base and sound mark (0 when none). {0, 0}
// means no half-width form. Generated from Unicode's NFKC and NFD data (tested against ICU).
struct HalfKana {
  char16_t base;
  char16_t mark;
};
constexpr HalfKana kToHalf[] = {
    {0xFF67, 0x0000},  // ァ ｧ
    {0xFF71, 0x0000},  // ア ｱ
    {0xFF68, 0x0000},  // ィ ｨ
    {0xFF72, 0x0000},  // イ ｲ
    {0xFF69, 0x0000},  // ゥ ｩ
    {0xFF73, 0x0000},  // ウ ｳ
    {0xFF6A, 0x0000},  // ェ ｪ
    {0xFF74, 0x0000},  // エ ｴ
    {0xFF6B, 0x0000},  // ォ ｫ
    {0xFF75, 0x0000},  // オ ｵ
    {0xFF76, 0x0000},  // カ ｶ
    {0xFF76, 0xFF9E},  // ガ ｶﾞ
    {0xFF77, 0x0000},  // キ ｷ
    {0xFF77, 0xFF9E},  // ギ ｷﾞ
    {0xFF78, 0x0000},  // ク ｸ
    {0xFF78, 0xFF9E},  // グ ｸﾞ
    {0xFF79, 0x0000},  // ケ ｹ
    {0xFF79, 0xFF9E},  // ゲ ｹﾞ
    {0xFF7A, 0x0000},  // コ ｺ
    {0xFF7A, 0xFF9E},  // ゴ ｺﾞ
    {0xFF7B, 0x0000},  // サ ｻ
    {0xFF7B, 0xFF9E},  // ザ ｻﾞ
    {0xFF7C, 0x0000},  // シ ｼ
    {0xFF7C, 0xFF9E},  // ジ ｼﾞ
    {0xFF7D, 0x0000},  // ス ｽ
    {0xFF7D, 0xFF9E},  // ズ ｽﾞ
    {0xFF7E, 0x0000},  // セ ｾ
    {0xFF7E, 0xFF9E},  // ゼ ｾﾞ
    {0xFF7F, 0x0000},  // ソ ｿ
    {0xFF7F, 0xFF9E},  // ゾ ｿﾞ
    {0xFF80, 0x0000},  // タ ﾀ
    {0xFF80, 0xFF9E},  // ダ ﾀﾞ
    {0xFF81, 0x0000},  // チ ﾁ
    {0xFF81, 0xFF9E},  // ヂ ﾁﾞ
    {0xFF6F, 0x0000},  // ッ ｯ
    {0xFF82, 0x0000},  // ツ ﾂ
    {0xFF82, 0xFF9E},  // ヅ ﾂﾞ
    {0xFF83, 0x0000},  // テ ﾃ
    {0xFF83, 0xFF9E},  // デ ﾃﾞ
    {0xFF84, 0x0000},  // ト ﾄ
    {0xFF84, 0xFF9E},  // ド ﾄﾞ
    {0xFF85, 0x0000},  // ナ ﾅ
    {0xFF86, 0x0000},  // ニ ﾆ
    {0xFF87, 0x0000},  // ヌ ﾇ
    {0xFF88, 0x0000},  // ネ ﾈ
    {0xFF89, 0x0000},  // ノ ﾉ
    {0xFF8A, 0x0000},  // ハ ﾊ
    {0xFF8A, 0xFF9E},  // バ ﾊﾞ
    {0xFF8A, 0xFF9F},  // パ ﾊﾟ
    {0xFF8B, 0x0000},  // ヒ ﾋ
    {0xFF8B, 0xFF9E},  // ビ ﾋﾞ
    {0xFF8B, 0xFF9F},  // ピ ﾋﾟ
    {0xFF8C, 0x0000},  // フ ﾌ
    {0xFF8C, 0xFF9E},  // ブ ﾌﾞ
    {0xFF8C, 0xFF9F},  // プ ﾌﾟ
    {0xFF8D, 0x0000},  // ヘ ﾍ
    {0xFF8D, 0xFF9E},  // ベ ﾍﾞ
    {0xFF8D, 0xFF9F},  // ペ ﾍﾟ
    {0xFF8E, 0x0000},  // ホ ﾎ
    {0xFF8E, 0xFF9E},  // ボ ﾎﾞ
    {0xFF8E, 0xFF9F},  // ポ ﾎﾟ
    {0xFF8F, 0x0000},  // マ ﾏ
    {0xFF90, 0x0000},  // ミ ﾐ
    {0xFF91, 0x0000},  // ム ﾑ
    {0xFF92, 0x0000},  // メ ﾒ
    {0xFF93, 0x0000},  // モ ﾓ
    {0xFF6C, 0x0000},  // ャ ｬ
    {0xFF94, 0x0000},  // ヤ ﾔ
    {0xFF6D, 0x0000},  // ュ ｭ
    {0xFF95, 0x0000},  // ユ ﾕ
    {0xFF6E, 0x0000},  // ョ ｮ
    {0xFF96, 0x0000},  // ヨ ﾖ
    {0xFF97, 0x0000},  // ラ ﾗ
    {0xFF98, 0x0000},  // リ ﾘ
    {0xFF99, 0x0000},  // ル ﾙ
    {0xFF9A, 0x0000},  // レ ﾚ
    {0xFF9B, 0x0000},  // ロ ﾛ
    {0, 0},            // ヮ -
    {0xFF9C, 0x0000},  // ワ ﾜ
    {0, 0},            // ヰ -
    {0, 0},            // ヱ -
    {0xFF66, 0x0000},  // ヲ ｦ
    {0xFF9D, 0x0000},  // ン ﾝ
    {0xFF73, 0xFF9E},  // ヴ ｳﾞ
    {0, 0},            // ヵ -
    {0, 0},            // ヶ -
    {0xFF9C, 0xFF9E},  // ヷ ﾜﾞ
    {0, 0},            // ヸ -
    {0, 0},            // ヹ -
    {0xFF66, 0xFF9E},  // ヺ ｦﾞ
    {0xFF65, 0x0000},  // ・ ･
    {0xFF70, 0x0000},  // ー ｰ
};
constexpr char32_t kHalfFirst = 0x30A1;
constexpr char32_t kHalfLast = 0x30FC;
static_assert(sizeof(kToHalf) / sizeof(kToHalf[0]) == kHalfLast - kHalfFirst + 1);

// Half-width U+FF61..U+FF9D -> the full-width form, its voiced (ﾞ) and semi-voiced (ﾟ) forms
// (0 when the combination has no composed character).
struct FullKana {
  char16_t plain;
  char16_t voiced;
  char16_t semi_voiced;
};
constexpr FullKana kToFull[] = {
    {0x3002, 0x0000, 0x0000},  // ｡ 。 - -
    {0x300C, 0x0000, 0x0000},  // ｢ 「 - -
    {0x300D, 0x0000, 0x0000},  // ｣ 」 - -
    {0x3001, 0x0000, 0x0000},  // ､ 、 - -
    {0x30FB, 0x0000, 0x0000},  // ･ ・ - -
    {0x30F2, 0x30FA, 0x0000},  // ｦ ヲ ヺ -
    {0x30A1, 0x0000, 0x0000},  // ｧ ァ - -
    {0x30A3, 0x0000, 0x0000},  // ｨ ィ - -
    {0x30A5, 0x0000, 0x0000},  // ｩ ゥ - -
    {0x30A7, 0x0000, 0x0000},  // ｪ ェ - -
    {0x30A9, 0x0000, 0x0000},  // ｫ ォ - -
    {0x30E3, 0x0000, 0x0000},  // ｬ ャ - -
    {0x30E5, 0x0000, 0x0000},  // ｭ ュ - -
    {0x30E7, 0x0000, 0x0000},  // ｮ ョ - -
    {0x30C3, 0x0000, 0x0000},  // ｯ ッ - -
    {0x30FC, 0x0000, 0x0000},  // ｰ ー - -
    {0x30A2, 0x0000, 0x0000},  // ｱ ア - -
    {0x30A4, 0x0000, 0x0000},  // ｲ イ - -
    {0x30A6, 0x30F4, 0x0000},  // ｳ ウ ヴ -
    {0x30A8, 0x0000, 0x0000},  // ｴ エ - -
    {0x30AA, 0x0000, 0x0000},  // ｵ オ - -
    {0x30AB, 0x30AC, 0x0000},  // ｶ カ ガ -
    {0x30AD, 0x30AE, 0x0000},  // ｷ キ ギ -
    {0x30AF, 0x30B0, 0x0000},  // ｸ ク グ -
    {0x30B1, 0x30B2, 0x0000},  // ｹ ケ ゲ -
    {0x30B3, 0x30B4, 0x0000},  // ｺ コ ゴ -
    {0x30B5, 0x30B6, 0x0000},  // ｻ サ ザ -
    {0x30B7, 0x30B8, 0x0000},  // ｼ シ ジ -
    {0x30B9, 0x30BA, 0x0000},  // ｽ ス ズ -
    {0x30BB, 0x30BC, 0x0000},  // ｾ セ ゼ -
    {0x30BD, 0x30BE, 0x0000},  // ｿ ソ ゾ -
    {0x30BF, 0x30C0, 0x0000},  // ﾀ タ ダ -
    {0x30C1, 0x30C2, 0x0000},  // ﾁ チ ヂ -
    {0x30C4, 0x30C5, 0x0000},  // ﾂ ツ ヅ -
    {0x30C6, 0x30C7, 0x0000},  // ﾃ テ デ -
    {0x30C8, 0x30C9, 0x0000},  // ﾄ ト ド -
    {0x30CA, 0x0000, 0x0000},  // ﾅ ナ - -
    {0x30CB, 0x0000, 0x0000},  // ﾆ ニ - -
    {0x30CC, 0x0000, 0x0000},  // ﾇ ヌ - -
    {0x30CD, 0x0000, 0x0000},  // ﾈ ネ - -
    {0x30CE, 0x0000, 0x0000},  // ﾉ ノ - -
    {0x30CF, 0x30D0, 0x30D1},  // ﾊ ハ バ パ
    {0x30D2, 0x30D3, 0x30D4},  // ﾋ ヒ ビ ピ
    {0x30D5, 0x30D6, 0x30D7},  // ﾌ フ ブ プ
    {0x30D8, 0x30D9, 0x30DA},  // ﾍ ヘ ベ ペ
    {0x30DB, 0x30DC, 0x30DD},  // ﾎ ホ ボ ポ
    {0x30DE, 0x0000, 0x0000},  // ﾏ マ - -
    {0x30DF, 0x0000, 0x0000},  // ﾐ ミ - -
    {0x30E0, 0x0000, 0x0000},  // ﾑ ム - -
    {0x30E1, 0x0000, 0x0000},  // ﾒ メ - -
    {0x30E2, 0x0000, 0x0000},  // ﾓ モ - -
    {0x30E4, 0x0000, 0x0000},  // ﾔ ヤ - -
    {0x30E6, 0x0000, 0x0000},  // ﾕ ユ - -
    {0x30E8, 0x0000, 0x0000},  // ﾖ ヨ - -
    {0x30E9, 0x0000, 0x0000},  // ﾗ ラ - -
    {0x30EA, 0x0000, 0x0000},  // ﾘ リ - -
    {0x30EB, 0x0000, 0x0000},  // ﾙ ル - -
    {0x30EC, 0x0000, 0x0000},  // ﾚ レ - -
    {0x30ED, 0x0000, 0x0000},  // ﾛ ロ - -
    {0x30EF, 0x30F7, 0x0000},  // ﾜ ワ ヷ -
    {0x30F3, 0x0000, 0x0000},  // ﾝ ン - -
};
constexpr char32_t kFullFirst = 0xFF61;
constexpr char32_t kFullLast = 0xFF9D;
static_assert(sizeof(kToFull) / sizeof(kToFull[0]) == kFullLast - kFullFirst + 1);

constexpr char32_t kHalfVoiced = 0xFF9E;      // ﾞ
constexpr char32_t kHalfSemiVoiced = 0xFF9F;  // ﾟ
constexpr char32_t kIdeographicSpace = 0x3000;
constexpr char32_t kFullAsciiOffset = 0xFEE0;  // U+FF01 - U+0021

// Whether the printable ASCII character a (0x21..0x7E) belongs to an enabled class.
bool ascii_enabled(char32_t a, const WidthClasses& classes) {
  if (a >= '0' && a <= '9') return classes.digits;
  if ((a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z')) return classes.letters;
  return classes.symbols;
}

// The half-width form of full-width c (base, and a sound mark or 0), or base 0 when c keeps its
// form (not full-width, or its class is not enabled).
HalfKana halfwidth_of(char32_t c, const WidthClasses& classes) {
  if (c >= 0xFF01 && c <= 0xFF5E) {
    char32_t a = c - kFullAsciiOffset;
    return {static_cast<char16_t>(ascii_enabled(a, classes) ? a : 0), 0};
  }
  if (c == kIdeographicSpace) return {static_cast<char16_t>(classes.space ? ' ' : 0), 0};
  if (!classes.kana) return {0, 0};
  if (c >= kHalfFirst && c <= kHalfLast) return kToHalf[c - kHalfFirst];
  switch (c) {
    case 0x3002:
      return {0xFF61, 0};  // 。
    case 0x300C:
      return {0xFF62, 0};  // 「
    case 0x300D:
      return {0xFF63, 0};  // 」
    case 0x3001:
      return {0xFF64, 0};  // 、
    case 0x3099:           // combining voiced sound mark
    case 0x309B:           // ゛
      return {static_cast<char16_t>(kHalfVoiced), 0};
    case 0x309A:  // combining semi-voiced sound mark
    case 0x309C:  // ゜
      return {static_cast<char16_t>(kHalfSemiVoiced), 0};
    default:
      return {0, 0};
  }
}

}  // namespace

Result<std::string> to_halfwidth(std::string_view s, const WidthClasses& classes,
                                 const Tick& tick) {
  auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  auto* end = begin + s.size();
  auto* p = begin;
  auto* copied = begin;  // input before this is already in out
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
    HalfKana half = halfwidth_of(c, classes);
    if (half.base == 0) continue;  // unchanged: stays in the run copied later
    out.append(reinterpret_cast<const char*>(copied), static_cast<size_t>(at - copied));
    utf8::append(out, half.base);
    if (half.mark != 0) utf8::append(out, half.mark);
    copied = p;
  }
  out.append(reinterpret_cast<const char*>(copied), static_cast<size_t>(end - copied));
  return out;
}

Result<std::string> to_fullwidth(std::string_view s, const WidthClasses& classes,
                                 const Tick& tick) {
  auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  auto* end = begin + s.size();
  auto* p = begin;
  auto* next_tick = begin + kTickBytes;
  std::string out;
  out.reserve(s.size() * 2);
  while (p < end) {
    if (p >= next_tick && tick) {
      tick();
      next_tick = p + kTickBytes;
    }
    unsigned char b = *p;
    if (b < 0x80) {
      ++p;
      if (b == ' ' && classes.space) {
        utf8::append(out, kIdeographicSpace);
      } else if (b > 0x20 && b < 0x7F && ascii_enabled(b, classes)) {
        utf8::append(out, b + kFullAsciiOffset);
      } else {
        out.push_back(static_cast<char>(b));
      }
      continue;
    }
    auto* at = p;
    char32_t c = utf8::decode(p, end);
    if (c == utf8::kInvalid) return utf8::invalid_at(s, static_cast<size_t>(at - begin));
    if (!classes.kana || c < kFullFirst || c > kHalfSemiVoiced) {
      out.append(reinterpret_cast<const char*>(at), static_cast<size_t>(p - at));
      continue;
    }
    if (c == kHalfVoiced) {
      utf8::append(out, 0x309B);  // ゛ spacing: there is no base to compose with
      continue;
    }
    if (c == kHalfSemiVoiced) {
      utf8::append(out, 0x309C);  // ゜
      continue;
    }
    const FullKana& k = kToFull[c - kFullFirst];
    char32_t full = k.plain;
    // A following sound mark composes when the combination exists (ｶﾞ -> ガ), as NFKC would.
    if (end - p >= 3 && p[0] == 0xEF && p[1] == 0xBE) {
      if (p[2] == 0x9E && k.voiced != 0) {  // U+FF9E
        full = k.voiced;
        p += 3;
      } else if (p[2] == 0x9F && k.semi_voiced != 0) {  // U+FF9F
        full = k.semi_voiced;
        p += 3;
      }
    }
    utf8::append(out, full);
  }
  return out;
}

}  // namespace jimu::text

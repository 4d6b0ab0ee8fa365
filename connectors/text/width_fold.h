// Width folding of Japanese text as clerks need it: 全角 <-> 半角 for ASCII letters, digits and
// symbols, the ideographic space, and katakana (ガ <-> ｶﾞ, パ <-> ﾊﾟ, ヴ <-> ｳﾞ).
//
// Unlike NFKC this goes both ways, touches only the classes asked for, never changes other
// characters (①, ㈱, 髙 and hiragana stay), and turns a lone sound mark into the spacing ゛/゜
// rather than a combining one. One pass over the bytes, no ICU. Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "connectors/text/text_progress.h"
#include "engine/core/status.h"

namespace jimu::text {

// Which classes of characters a fold converts. All by default.
struct WidthClasses {
  bool letters = true;  // Ａ-Ｚ ａ-ｚ <-> A-Z a-z
  bool digits = true;   // ０-９ <-> 0-9
  bool symbols = true;  // the other full-width forms of printable ASCII (！ to ～, U+FF01-FF5E)
  bool space = true;    // U+3000 (ideographic space) <-> U+0020
  bool kana = true;  // katakana, ー, ゛゜ and 。「」、・ <-> the half-width forms U+FF61-FF9F
};

// 全角 -> 半角. Full-width katakana without a half-width form (ヰ ヱ ヮ ヵ ヶ ヸ ヹ) stay; voiced
// and semi-voiced katakana become two characters (ガ -> ｶﾞ); combining sound marks U+3099/U+309A
// and the spacing ゛゜ become ﾞﾟ. Fails (encoding) on ill-formed UTF-8, naming the byte.
Result<std::string> to_halfwidth(std::string_view s, const WidthClasses& classes = {},
                                 const Tick& tick = {});

// 半角 -> 全角. A half-width kana followed by ﾞ or ﾟ becomes the composed katakana when one exists
// (ｶﾞ -> ガ, ﾊﾟ -> パ, ｳﾞ -> ヴ, ﾜﾞ -> ヷ, ｦﾞ -> ヺ); otherwise the mark becomes the spacing ゛ or
// ゜ (ｱﾞ -> ア゛). Fails (encoding) on ill-formed UTF-8, naming the byte.
Result<std::string> to_fullwidth(std::string_view s, const WidthClasses& classes = {},
                                 const Tick& tick = {});

}  // namespace jimu::text

// Display width of text in fixed-width columns (帳票, fixed-width exports, aligned log tables).
//
// East Asian Wide and Fullwidth characters (漢字, かな, ＡＢＣ, U+3000) count 2; half-width kana
// (ｶﾅ) and ASCII count 1; combining marks, format characters (U+200B, U+FEFF) and control
// characters count 0; East Asian Ambiguous characters (①, ○, ★, Greek, Cyrillic) count 1 or 2 as
// the caller says. Properties come from ICU (this connector's only other use of ICU). Thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "connectors/text/text_progress.h"
#include "engine/core/status.h"

namespace jimu::text {

// The display width of s; ambiguous is 1 or 2. Fails (encoding) on ill-formed UTF-8.
Result<int64_t> display_width(std::string_view s, int ambiguous = 1, const Tick& tick = {});

}  // namespace jimu::text

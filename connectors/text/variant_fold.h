// The CP932/JIS round-trip pairs that Windows data mixes up, folded to one side.
//
// One CP932 byte pair stands for two Unicode characters depending on who decoded it: Windows (and
// glibc iconv "CP932") decode 0x8160 to U+FF5E ～ FULLWIDTH TILDE, the JIS table (iconv
// "SHIFT_JIS", EUC-JP, macOS) to U+301C 〜 WAVE DASH. Text gathered from both looks the same but
// compares unequal. The pairs (JIS side / Windows side, CP932 bytes):
//   U+301C 〜 / U+FF5E ～ (0x8160)   U+2016 ‖ / U+2225 ∥ (0x8161)   U+2212 − / U+FF0D － (0x817C)
//   U+00A2 ¢ / U+FFE0 ￠ (0x8191)    U+00A3 £ / U+FFE1 ￡ (0x8192)   U+00AC ¬ / U+FFE2 ￢ (0x81CA)
// glibc's CP932 encoder accepts both sides, so folding is about comparing and matching, not about
// writing CP932. Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "connectors/text/text_progress.h"
#include "engine/core/status.h"

namespace jimu::text {

enum class VariantSide {
  kWindows,  // what CP932 decodes to on Windows (～ U+FF5E, ∥, －, ￠, ￡, ￢)
  kJis,      // the JIS X 0208 mapping (〜 U+301C, ‖, −, ¢, £, ¬)
};

// s with every character of the pairs above put on side to. Fails (encoding) on ill-formed UTF-8.
Result<std::string> fold_variants(std::string_view s, VariantSide to, const Tick& tick = {});

}  // namespace jimu::text

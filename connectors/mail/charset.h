// Charset conversion for mail: every label a Japanese mailbox meets, to and from UTF-8.
//
// Decoding is lenient about labels (shift_jis, x-sjis, windows-31j and cp932 all decode as CP932,
// which is what Windows writes and a superset of strict Shift_JIS) and strict about bytes: a byte
// sequence invalid in the charset is an encoding error naming the charset. ISO-2022-JP is decoded
// through CP932, so the NEC and IBM extensions Outlook puts into it (①, ㈱, ～) decode too, and
// the -2/-3 variants fall back to glibc's converters. glibc iconv only; stateless functions,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace jimu::mail {

// Bytes in `charset` (a MIME label, any case) to UTF-8. Empty or unknown-but-ASCII text passes.
Result<std::string> to_utf8(std::string_view bytes, std::string_view charset);

// UTF-8 to `charset` ("iso-2022-jp" or anything iconv knows). Fails with an encoding error when
// the text holds a character the charset cannot (① in ISO-2022-JP), so callers can fall back.
Result<std::string> from_utf8(std::string_view text, std::string_view charset);

// True when every byte is below 0x80.
bool is_ascii(std::string_view s);

// The canonical lower-case label: "shift_jis" -> "cp932", "utf8" -> "utf-8".
std::string canonical_charset(std::string_view charset);

}  // namespace jimu::mail

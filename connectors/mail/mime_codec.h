// MIME codecs: base64, quoted-printable, RFC 2047 encoded words and RFC 2231 parameters.
//
// Encoding produces what Outlook, Thunderbird and Gmail all read: B-encoded words of at most 75
// characters that never split a character, folded at 78 columns; file names both as RFC 2231
// (filename*=UTF-8''...) and as the RFC 2047 form Outlook itself writes (name="=?UTF-8?B?...?=").
// Decoding is lenient as mail must be: adjacent encoded words are joined without the blank
// between them (RFC 2047 section 6.2), words split in the middle of a character are joined
// before conversion, raw 8-bit or ISO-2022-JP headers are read too. Plain functions, thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "engine/core/status.h"

namespace jimu::mail {

// Base64 in lines of 76 characters separated by CRLF (no CRLF after the last line).
std::string base64_encode(std::string_view data, bool wrap = true);
// Skips whitespace and anything outside the alphabet; stops at '='.
std::string base64_decode(std::string_view text);
// Quoted-printable; in header mode '_' is a space (RFC 2047 Q encoding).
std::string qp_decode(std::string_view text, bool header_mode = false);

// A header value for utf8_text: as is when it is printable ASCII, otherwise RFC 2047 B-encoded
// words in `charset` ("utf-8" or "iso-2022-jp"), folded with CRLF + space. `used` is how many
// columns the header name took ("Subject: " is 9). Fails only when the charset cannot hold the
// text.
Result<std::string> encode_header_text(std::string_view utf8_text, std::string_view charset,
                                       size_t used);

// A display name for an address header: as is, quoted, or encoded words.
Result<std::string> encode_display_name(std::string_view utf8_name, std::string_view charset);

// Decodes a raw (possibly folded) header value to UTF-8. Never fails: undecodable pieces are kept.
std::string decode_header(std::string_view raw);

// A structured header value: "attachment; filename*=UTF-8''%E5%A0%B1.csv".
struct HeaderParams {
  std::string value;                          // lower-cased: "attachment", "text/plain"
  std::map<std::string, std::string> params;  // lower-cased names; values decoded to UTF-8
};
// Parses parameters incl. RFC 2231 continuations (name*0*, name*1*) and charsets, and RFC 2047
// words inside quoted values.
HeaderParams parse_header_params(std::string_view raw);

// `; name*=UTF-8''...` (with continuations past 60 characters) for a non-ASCII value, or
// `; name="value"` for ASCII. Each piece begins with CRLF + space so lines stay short.
std::string encode_param_2231(std::string_view name, std::string_view utf8_value);
// `; name="=?UTF-8?B?...?="` as Outlook writes file names (ASCII values are quoted plainly).
std::string encode_param_2047(std::string_view name, std::string_view utf8_value);

}  // namespace jimu::mail

// Decoding a received message (RFC 5322 + MIME) into plain UTF-8 data.
//
// Handles nested multiparts (mixed, alternative, related), base64 and quoted-printable, charsets
// UTF-8, ISO-2022-JP and Shift_JIS/CP932 (charset.h) in bodies and in headers (RFC 2047), file
// names in RFC 2231 form (with continuations) and the RFC 2047 form Outlook writes. Lenient:
// malformed mail still yields what can be read; text that cannot be decoded in its declared
// charset is tried as UTF-8 and CP932 before bad bytes become U+FFFD. Plain functions, thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace jimu::mail {

struct ReceivedAttachment {
  std::string name;          // decoded file name as the sender gave it (not yet made safe)
  std::string content_type;  // lower-case "text/csv"
  std::string data;          // decoded bytes
};

struct ParsedMail {
  std::string message_id;
  std::string from, to, cc, reply_to;  // decoded, e.g. "山田 太郎 <yamada@example.jp>"
  std::string subject;
  std::string date;  // as written
  std::string body;  // the first text/plain part (UTF-8, LF line endings)
  std::string html;  // the first text/html part
  std::vector<ReceivedAttachment> attachments;
  std::vector<std::pair<std::string, std::string>> headers;  // top-level, names lower-case, raw
};

ParsedMail parse_message(const std::string& raw);

}  // namespace jimu::mail

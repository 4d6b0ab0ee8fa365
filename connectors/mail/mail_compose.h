// Composing an outgoing message as RFC 5322 / MIME bytes, ready for SMTP or an .eml file.
//
// UTF-8 by default (base64 bodies, RFC 2047 headers); ISO-2022-JP on request, falling back to
// UTF-8 for the whole message when any text holds a character ISO-2022-JP cannot (①, ㈱, ～).
// To and Cc are written here, not by Poco (which quotes encoded display names and so breaks
// them); Bcc never appears in the headers, only among the envelope recipients.
// Attachment names are written twice, as RFC 2231 (filename*=) and in the RFC 2047 form Outlook
// reads (name="=?UTF-8?B?...?="). Plain functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu::mail {

// "山田 太郎 <yamada@example.jp>" or "yamada@example.jp", split.
struct Address {
  std::string name;  // UTF-8, may be empty
  std::string addr;  // local@domain
};
// Parses one address as a workflow writes it; invalid when there is no plausible local@domain.
Result<Address> parse_address(const std::string& text);

struct Attachment {
  std::string name;          // the file name the recipient sees (UTF-8)
  std::string content_type;  // guessed from the name when empty
  std::string data;          // the bytes
};

struct OutgoingMail {
  Address from;
  std::vector<Address> to, cc, bcc;
  std::vector<Address> reply_to;
  std::string subject;  // UTF-8
  std::string body;     // UTF-8 plain text; LF or CRLF
  std::string html;     // optional HTML alternative
  std::vector<Attachment> attachments;
  std::string charset = "utf-8";  // or "iso-2022-jp"
  std::string date;               // RFC 5322 date; now when empty
  std::string message_id;         // "<...>"; generated when empty
  std::string boundary_seed;      // makes boundaries deterministic in tests; random when empty
};

struct ComposedMail {
  std::string data;                     // CRLF line endings, no dot-stuffing
  std::string envelope_from;            // for MAIL FROM
  std::vector<std::string> recipients;  // to + cc + bcc, for RCPT TO
  std::string charset;                  // the charset actually used
  std::string message_id;
};

// invalid when there is no recipient or no sender.
Result<ComposedMail> compose(const OutgoingMail& mail);

// "report.csv" -> "text/csv"; application/octet-stream when unknown.
std::string guess_content_type(const std::string& name);

}  // namespace jimu::mail

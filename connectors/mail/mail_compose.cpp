#include "connectors/mail/mail_compose.h"

#include <time.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>

#include "connectors/mail/charset.h"
#include "connectors/mail/mime_codec.h"

namespace jimu::mail {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string rfc5322_now() {
  time_t t = time(nullptr);
  struct tm tm;
  localtime_r(&t, &tm);
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  long off = tm.tm_gmtoff / 60;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
                off < 0 ? '-' : '+', std::labs(off) / 60, std::labs(off) % 60);
  return buf;
}

std::string random_token() {
  std::random_device rd;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x%08x%08x", rd(), rd(), rd());
  return buf;
}

Result<std::string> address_list(const std::vector<Address>& list, const std::string& charset) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out += ",\r\n ";
    if (a.name.empty()) {
      out += a.addr;
    } else {
      auto name = encode_display_name(a.name, charset);
      if (!name) return name.status();
      out += *name + " <" + a.addr + ">";
    }
  }
  return out;
}

// Everything that carries text must fit the charset; otherwise the message goes out in UTF-8.
bool fits(const OutgoingMail& m, const std::string& charset) {
  auto ok = [&](const std::string& s) { return is_ascii(s) || from_utf8(s, charset).is_ok(); };
  if (!ok(m.subject) || !ok(m.body) || !ok(m.html) || !ok(m.from.name)) return false;
  for (const auto* list : {&m.to, &m.cc, &m.reply_to}) {
    for (const auto& a : *list) {
      if (!ok(a.name)) return false;
    }
  }
  return true;
}

Result<std::string> text_part(const std::string& subtype, const std::string& utf8,
                              const std::string& charset) {
  std::string text = crlf(utf8);
  // Every line of a message ends with CRLF (RFC 5322), the last one too.
  if (text.size() < 2 || text.compare(text.size() - 2, 2, "\r\n") != 0) text += "\r\n";
  if (charset == "iso-2022-jp") {
    auto bytes = from_utf8(text, charset);
    if (!bytes) return bytes.status();
    return "Content-Type: text/" + subtype +
           "; charset=ISO-2022-JP\r\n"
           "Content-Transfer-Encoding: 7bit\r\n\r\n" +
           *bytes;
  }
  return "Content-Type: text/" + subtype +
         "; charset=UTF-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         base64_encode(text) + "\r\n";
}

std::string multipart(const std::string& subtype, const std::string& boundary,
                      const std::vector<std::string>& parts) {
  std::string out = "Content-Type: multipart/" + subtype + ";\r\n boundary=\"" + boundary +
                    "\"\r\n\r\nThis is a multi-part message in MIME format.\r\n";
  for (const auto& p : parts) out += "\r\n--" + boundary + "\r\n" + p;
  return out + "\r\n--" + boundary + "--\r\n";
}

}  // namespace

Result<Address> parse_address(const std::string& text) {
  std::string t = trim(text);
  Address a;
  size_t lt = t.rfind('<');
  if (lt != std::string::npos && t.back() == '>') {
    a.addr = trim(t.substr(lt + 1, t.size() - lt - 2));
    a.name = trim(t.substr(0, lt));
    if (a.name.size() >= 2 && a.name.front() == '"' && a.name.back() == '"') {
      a.name = a.name.substr(1, a.name.size() - 2);
    }
  } else {
    a.addr = t;
  }
  size_t at = a.addr.find('@');
  bool ok = at != std::string::npos && at > 0 && at + 1 < a.addr.size() &&
            a.addr.find('@', at + 1) == std::string::npos &&
            std::none_of(a.addr.begin(), a.addr.end(), [](char c) {
              return std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' ||
                     c == ',' || c == ';' || c == '"' || static_cast<unsigned char>(c) >= 0x80;
            });
  if (!ok) return Status::invalid("'" + text + "' is not a mail address (expected name@domain)");
  return a;
}

std::string guess_content_type(const std::string& name) {
  std::string ext;
  if (size_t dot = name.rfind('.'); dot != std::string::npos) ext = name.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::pair<const char*, const char*> kTypes[] = {
      {"csv", "text/csv"},
      {"txt", "text/plain"},
      {"html", "text/html"},
      {"xml", "application/xml"},
      {"pdf", "application/pdf"},
      {"zip", "application/zip"},
      {"json", "application/json"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"xls", "application/vnd.ms-excel"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"}};
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "application/octet-stream";
}

Result<ComposedMail> compose(const OutgoingMail& mail) {
  if (mail.from.addr.empty()) return Status::invalid("no sender: set 'from' or the account's from");
  if (mail.to.empty() && mail.cc.empty() && mail.bcc.empty()) {
    return Status::invalid("no recipient: give at least one of to, cc, bcc");
  }
  std::string charset = canonical_charset(mail.charset.empty() ? "utf-8" : mail.charset);
  if (charset != "utf-8" && charset != "iso-2022-jp") {
    return Status::invalid("charset must be utf-8 or iso-2022-jp, not '" + mail.charset + "'");
  }
  if (charset == "iso-2022-jp" && !fits(mail, charset)) charset = "utf-8";

  ComposedMail out;
  out.charset = charset;
  out.envelope_from = mail.from.addr;
  for (const auto* list : {&mail.to, &mail.cc, &mail.bcc}) {
    for (const auto& a : *list) out.recipients.push_back(a.addr);
  }
  std::string seed = mail.boundary_seed.empty() ? random_token() : mail.boundary_seed;
  std::string domain = mail.from.addr.substr(mail.from.addr.find('@') + 1);
  out.message_id = mail.message_id.empty() ? "<" + seed + ".jimu@" + domain + ">" : mail.message_id;

  std::string h;
  h += "Date: " + (mail.date.empty() ? rfc5322_now() : mail.date) + "\r\n";
  auto from = address_list({mail.from}, charset);
  if (!from) return from.status();
  h += "From: " + *from + "\r\n";
  for (auto [name, list] : {std::pair{"To", &mail.to}, std::pair{"Cc", &mail.cc},
                            std::pair{"Reply-To", &mail.reply_to}}) {
    if (list->empty()) continue;
    auto v = address_list(*list, charset);
    if (!v) return v.status();
    h += std::string(name) + ": " + *v + "\r\n";
  }
  auto subject = encode_header_text(mail.subject, charset, 9);
  if (!subject) return subject.status();
  h += "Subject: " + *subject + "\r\n";
  h += "Message-ID: " + out.message_id + "\r\n";
  h += "MIME-Version: 1.0\r\n";
  h += "X-Mailer: jimu\r\n";

  auto plain = text_part("plain", mail.body, charset);
  if (!plain) return plain.status();
  std::string body = *plain;
  if (!mail.html.empty()) {
    auto html = text_part("html", mail.html, charset);
    if (!html) return html.status();
    body = multipart("alternative", "=_alt_" + seed, {*plain, *html});
  }
  if (!mail.attachments.empty()) {
    std::vector<std::string> parts{body};
    for (const auto& a : mail.attachments) {
      std::string type = a.content_type.empty() ? guess_content_type(a.name) : a.content_type;
      parts.push_back("Content-Type: " + type + encode_param_2047("name", a.name) + "\r\n" +
                      "Content-Disposition: attachment" + encode_param_2231("filename", a.name) +
                      "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_encode(a.data) +
                      "\r\n");
    }
    body = multipart("mixed", "=_mix_" + seed, parts);
  }
  out.data = h + body;
  return out;
}

}  // namespace jimu::mail

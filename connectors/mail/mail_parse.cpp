#include "connectors/mail/mail_parse.h"

#include <algorithm>
#include <cctype>

#include "connectors/mail/charset.h"
#include "connectors/mail/mime_codec.h"

namespace jimu::mail {
namespace {

constexpr int kMaxDepth = 20;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

struct Entity {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string get(const std::string& name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "";
  }
};

Entity split_entity(const std::string& raw) {
  Entity e;
  size_t pos = 0;
  std::string name, value;
  auto push = [&]() {
    if (!name.empty()) e.headers.emplace_back(lower(trim(name)), value);
    name.clear();
    value.clear();
  };
  while (pos < raw.size()) {
    size_t nl = raw.find('\n', pos);
    std::string line = raw.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? raw.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;  // end of headers
    if (line[0] == ' ' || line[0] == '\t') {
      value += "\r\n" + line;  // folded continuation, unfolded by the decoders
      continue;
    }
    push();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;  // not a header: skip it
    name = line.substr(0, colon);
    value = trim(line.substr(colon + 1));
  }
  push();
  e.body = raw.substr(std::min(pos, raw.size()));
  return e;
}

std::string lf(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

// Replaces bytes that are not UTF-8 with U+FFFD.
std::string scrub_utf8(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string decode_text(const std::string& bytes, const std::string& charset) {
  if (auto r = to_utf8(bytes, charset.empty() ? "us-ascii" : charset)) return *r;
  if (auto r = to_utf8(bytes, "utf-8")) return *r;
  if (auto r = to_utf8(bytes, "cp932")) return *r;
  return scrub_utf8(bytes);
}

std::string decode_transfer(const std::string& body, const std::string& cte) {
  std::string enc = lower(trim(cte));
  if (enc == "base64") return base64_decode(body);
  if (enc == "quoted-printable") return qp_decode(body);
  return body;
}

// The parts of a multipart body between its boundary lines.
std::vector<std::string> split_multipart(const std::string& body, const std::string& boundary) {
  std::vector<std::string> parts;
  const std::string delim = "--" + boundary;
  size_t pos = 0;
  long start = -1;
  while (pos <= body.size()) {
    size_t nl = body.find('\n', pos);
    size_t end = nl == std::string::npos ? body.size() : nl;
    std::string line = body.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.compare(0, delim.size(), delim) == 0) {
      std::string rest = trim(line.substr(delim.size()));
      if (rest.empty() || rest == "--") {
        if (start >= 0) {
          // The line break before a delimiter belongs to the delimiter.
          size_t stop = pos;
          if (stop > static_cast<size_t>(start) && body[stop - 1] == '\n') --stop;
          if (stop > static_cast<size_t>(start) && body[stop - 1] == '\r') --stop;
          parts.push_back(body.substr(start, stop - start));
        }
        if (rest == "--") return parts;
        start = static_cast<long>(nl == std::string::npos ? body.size() : nl + 1);
      }
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  if (start >= 0 && static_cast<size_t>(start) < body.size()) parts.push_back(body.substr(start));
  return parts;
}

void walk(const Entity& e, int depth, ParsedMail* out) {
  std::string ct_raw = e.get("content-type");
  HeaderParams ct = parse_header_params(ct_raw.empty() ? "text/plain" : ct_raw);
  if (ct.value.empty()) ct.value = "text/plain";
  if (ct.value.rfind("multipart/", 0) == 0 && depth < kMaxDepth && ct.params.count("boundary")) {
    for (const auto& part : split_multipart(e.body, ct.params["boundary"])) {
      walk(split_entity(part), depth + 1, out);
    }
    return;
  }
  HeaderParams cd = parse_header_params(e.get("content-disposition"));
  std::string name = cd.params.count("filename") ? cd.params["filename"] : "";
  if (name.empty() && ct.params.count("name")) name = ct.params["name"];
  std::string data = decode_transfer(e.body, e.get("content-transfer-encoding"));
  bool is_text = ct.value == "text/plain" || ct.value == "text/html";
  if (is_text && cd.value != "attachment" && name.empty()) {
    std::string text =
        lf(decode_text(data, ct.params.count("charset") ? ct.params["charset"] : ""));
    std::string& slot = ct.value == "text/plain" ? out->body : out->html;
    if (slot.empty()) {
      slot = text;
      return;
    }
  }
  if (name.empty()) {
    name = ct.value == "message/rfc822" ? "message.eml"
                                        : "part-" + std::to_string(out->attachments.size() + 1);
  }
  out->attachments.push_back({name, ct.value, std::move(data)});
}

}  // namespace

ParsedMail parse_message(const std::string& raw) {
  ParsedMail m;
  Entity top = split_entity(raw);
  m.headers = top.headers;
  m.message_id = trim(top.get("message-id"));
  m.from = decode_header(top.get("from"));
  m.to = decode_header(top.get("to"));
  m.cc = decode_header(top.get("cc"));
  m.reply_to = decode_header(top.get("reply-to"));
  m.subject = decode_header(top.get("subject"));
  m.date = trim(top.get("date"));
  walk(top, 0, &m);
  return m;
}

}  // namespace jimu::mail

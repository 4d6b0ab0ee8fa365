#include "connectors/mail/mime_codec.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <vector>

#include "connectors/mail/charset.h"

namespace jimu::mail {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Removes the line breaks of folded header lines (the blank after each stays, RFC 5322 2.2.3).
std::string unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  return out;
}

// Length in bytes of the UTF-8 sequence starting with lead byte c (1 for stray bytes).
size_t utf8_len(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

// Raw header text that is not an encoded word: UTF-8 when valid, else ISO-2022-JP or CP932 as
// older Japanese mailers wrote it unencoded.
std::string decode_raw_text(std::string_view text) {
  if (text.find('\x1B') != std::string_view::npos) {
    if (auto r = to_utf8(text, "iso-2022-jp")) return *r;
  }
  if (is_ascii(text)) return std::string(text);
  if (auto r = to_utf8(text, "utf-8")) return *r;
  if (auto r = to_utf8(text, "cp932")) return *r;
  return std::string(text);
}

std::string pct_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

std::string base64_encode(std::string_view data, bool wrap) {
  std::string out;
  out.reserve(data.size() * 4 / 3 + data.size() / 38 + 4);
  size_t col = 0;
  for (size_t i = 0; i < data.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    if (i + 2 < data.size()) n |= static_cast<unsigned char>(data[i + 2]);
    if (wrap && col == 76) {
      out += "\r\n";
      col = 0;
    }
    out.push_back(kB64[(n >> 18) & 63]);
    out.push_back(kB64[(n >> 12) & 63]);
    out.push_back(i + 1 < data.size() ? kB64[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < data.size() ? kB64[n & 63] : '=');
    col += 4;
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const char* p = c ? std::strchr(kB64, c) : nullptr;
    if (p == nullptr) continue;
    acc = (acc << 6) | static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string qp_decode(std::string_view text, bool header_mode) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '_' && header_mode) {
      out.push_back(' ');
    } else if (c == '=') {
      if (i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
        out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
        i += 2;
      } else if (i + 1 < text.size() && (text[i + 1] == '\r' || text[i + 1] == '\n')) {
        // Soft line break.
        ++i;
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      } else {
        out.push_back(c);
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Result<std::string> encode_header_text(std::string_view utf8_text, std::string_view charset,
                                       size_t used) {
  bool printable = std::all_of(utf8_text.begin(), utf8_text.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
  });
  if (printable && utf8_text.find("=?") == std::string_view::npos) return std::string(utf8_text);
  std::string label = canonical_charset(charset) == "utf-8" ? "UTF-8" : "ISO-2022-JP";
  const size_t overhead = label.size() + 7;  // =?LABEL?B? ... ?=
  std::string out;
  size_t budget = used + overhead + 8 < 76 ? 76 - used - overhead : 76 - overhead;  // b64 chars
  if (used + overhead + 8 >= 76) out = "\r\n ";  // the header name leaves no room
  size_t pos = 0;
  while (pos < utf8_text.size()) {
    // Grow the chunk one character at a time while its encoding fits the budget.
    size_t end = pos;
    std::string best;
    while (end < utf8_text.size()) {
      size_t next =
          std::min(utf8_text.size(), end + utf8_len(static_cast<unsigned char>(utf8_text[end])));
      auto bytes = from_utf8(utf8_text.substr(pos, next - pos), charset);
      if (!bytes) return bytes.status();
      if ((bytes->size() + 2) / 3 * 4 > budget && end > pos) break;
      best = std::move(bytes).value();
      end = next;
    }
    if (!out.empty() && out != "\r\n ") out += "\r\n ";
    out += "=?" + label + "?B?" + base64_encode(best, false) + "?=";
    pos = end;
    budget = 76 - 1 - overhead;
  }
  return out;
}

Result<std::string> encode_display_name(std::string_view utf8_name, std::string_view charset) {
  if (is_ascii(utf8_name)) {
    if (utf8_name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos) {
      return std::string(utf8_name);
    }
    return quote(utf8_name);
  }
  return encode_header_text(utf8_name, charset, 4);
}

std::string decode_header(std::string_view raw) {
  std::string text = unfold(raw);
  std::string out;
  std::string pending_bytes, pending_charset;  // adjacent encoded words of one charset
  std::string gap;                             // blanks after the last encoded word
  auto flush = [&]() {
    if (pending_charset.empty()) return;
    auto r = to_utf8(pending_bytes, pending_charset);
    out += r ? *r : decode_raw_text(pending_bytes);
    pending_bytes.clear();
    pending_charset.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t start = text.find("=?", i);
    size_t q1 = start == std::string::npos ? start : text.find('?', start + 2);
    size_t q2 = q1 == std::string::npos ? q1 : text.find('?', q1 + 1);
    size_t end = q2 == std::string::npos ? q2 : text.find("?=", q2 + 1);
    bool valid = end != std::string::npos && q2 == q1 + 2 &&
                 text.substr(start, end - start).find(' ') == std::string::npos;
    if (!valid) {
      // No (more) encoded words: the rest is plain text.
      size_t stop = start == std::string::npos ? text.size() : start + 2;  // "=?" kept as text
      std::string plain = gap + text.substr(i, stop - i);
      flush();
      out += decode_raw_text(plain);
      gap.clear();
      i = stop;
      continue;
    }
    std::string before = text.substr(i, start - i);
    bool only_blanks = before.find_first_not_of(" \t") == std::string::npos;
    std::string charset = lower(text.substr(start + 2, q1 - start - 2));
    if (auto star = charset.find('*'); star != std::string::npos)
      charset.erase(star);  // RFC 2231 language
    char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(text[q1 + 1])));
    std::string payload = text.substr(q2 + 1, end - q2 - 1);
    std::string bytes = enc == 'B' ? base64_decode(payload) : qp_decode(payload, true);
    bool adjacent = !pending_charset.empty() && only_blanks;
    if (!adjacent) {
      flush();
      out += decode_raw_text(gap + before);
    }
    gap.clear();
    if (!pending_charset.empty() &&
        canonical_charset(charset) != canonical_charset(pending_charset)) {
      flush();
    }
    pending_charset = charset;
    pending_bytes += bytes;
    i = end + 2;
    // Blanks that follow are held back: dropped if another encoded word comes next.
    size_t nb = text.find_first_not_of(" \t", i);
    gap = text.substr(i, (nb == std::string::npos ? text.size() : nb) - i);
    i = nb == std::string::npos ? text.size() : nb;
  }
  flush();
  out += gap;
  return trim(out);
}

HeaderParams parse_header_params(std::string_view raw) {
  HeaderParams hp;
  std::string text = unfold(raw);
  size_t i = text.find(';');
  hp.value = lower(trim(text.substr(0, i)));
  struct Piece {
    std::string value;
    bool encoded;
  };
  std::map<std::string, std::map<int, Piece>> continued;
  while (i != std::string::npos && i < text.size()) {
    ++i;  // past ';'
    size_t eq = text.find('=', i);
    if (eq == std::string::npos) break;
    std::string name = lower(trim(text.substr(i, eq - i)));
    size_t v = text.find_first_not_of(" \t", eq + 1);
    std::string value;
    if (v != std::string::npos && text[v] == '"') {
      size_t j = v + 1;
      for (; j < text.size() && text[j] != '"'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size()) ++j;
        value.push_back(text[j]);
      }
      i = text.find(';', j);
    } else {
      i = v == std::string::npos ? std::string::npos : text.find(';', v);
      value = trim(text.substr(v == std::string::npos ? text.size() : v,
                               i == std::string::npos ? std::string::npos : i - v));
    }
    if (name.empty()) continue;
    size_t star = name.find('*');
    if (star == std::string::npos) {
      if (!hp.params.count(name)) hp.params[name] = decode_header(value);
      continue;
    }
    std::string base = name.substr(0, star);
    std::string rest = name.substr(star + 1);  // "", "0", "0*", "1"
    bool encoded = !rest.empty() ? rest.back() == '*' : true;
    if (!rest.empty() && rest.back() == '*') rest.pop_back();
    int index = 0;
    if (!rest.empty()) {
      if (!std::all_of(rest.begin(), rest.end(), ::isdigit) || rest.size() > 4) continue;
      index = std::stoi(rest);
    }
    continued[base][index] = {value, encoded};
  }
  for (auto& [base, pieces] : continued) {
    std::string charset, bytes;
    bool first = true;
    for (auto& [index, piece] : pieces) {
      std::string v = piece.value;
      if (piece.encoded) {
        if (first) {
          size_t a = v.find('\'');
          size_t b = a == std::string::npos ? a : v.find('\'', a + 1);
          if (b != std::string::npos) {
            charset = v.substr(0, a);
            v = v.substr(b + 1);
          }
        }
        bytes += pct_decode(v);
      } else {
        bytes += v;
      }
      first = false;
    }
    auto r =
        charset.empty() ? Result<std::string>(decode_raw_text(bytes)) : to_utf8(bytes, charset);
    hp.params[base] = r ? *r : decode_raw_text(bytes);  // RFC 2231 wins over a plain duplicate
  }
  return hp;
}

std::string encode_param_2231(std::string_view name, std::string_view utf8_value) {
  if (is_ascii(utf8_value)) return ";\r\n " + std::string(name) + "=" + quote(utf8_value);
  static const char kAttr[] = "!#$&+-.^_`|~";
  std::vector<std::string> atoms;  // one per byte: "a" or "%E5"
  for (unsigned char c : utf8_value) {
    if (std::isalnum(c) || std::strchr(kAttr, c) != nullptr) {
      atoms.emplace_back(1, static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      atoms.emplace_back(buf);
    }
  }
  std::string all;
  for (const auto& a : atoms) all += a;
  if (all.size() <= 60) return ";\r\n " + std::string(name) + "*=UTF-8''" + all;
  std::string out;
  std::string part = "UTF-8''";
  int index = 0;
  for (size_t k = 0; k <= atoms.size(); ++k) {
    if (k == atoms.size() || part.size() + atoms[k].size() > 60) {
      out += ";\r\n " + std::string(name) + "*" + std::to_string(index++) + "*=" + part;
      part.clear();
      if (k == atoms.size()) break;
    }
    part += atoms[k];
  }
  return out;
}

std::string encode_param_2047(std::string_view name, std::string_view utf8_value) {
  if (is_ascii(utf8_value)) return ";\r\n " + std::string(name) + "=" + quote(utf8_value);
  auto words = encode_header_text(utf8_value, "utf-8", name.size() + 3);
  return ";\r\n " + std::string(name) + "=\"" + (words ? *words : std::string(utf8_value)) + "\"";
}

}  // namespace jimu::mail

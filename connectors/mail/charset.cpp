#include "connectors/mail/charset.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cctype>

namespace jimu::mail {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// One whole conversion with glibc iconv; an error names what could not be converted.
Result<std::string> iconv_convert(std::string_view in, const char* from, const char* to) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::encoding(std::string("unknown charset '") + from + "' -> '" + to + "'");
  }
  std::string out;
  out.resize(in.size() * 4 + 16);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  Status error;
  while (true) {
    size_t r = src_left > 0 ? iconv(cd, &src, &src_left, &dst, &dst_left)
                            : iconv(cd, nullptr, nullptr, &dst, &dst_left);  // flush state
    if (r != static_cast<size_t>(-1)) {
      if (src_left == 0) {
        if (iconv(cd, nullptr, nullptr, &dst, &dst_left) != static_cast<size_t>(-1)) break;
      } else {
        continue;
      }
    }
    if (errno == E2BIG) {
      size_t used = static_cast<size_t>(dst - out.data());
      out.resize(out.size() * 2);
      dst = out.data() + used;
      dst_left = out.size() - used;
      continue;
    }
    size_t at = in.size() - src_left;
    error = Status::encoding(std::string(errno == EINVAL ? "incomplete" : "invalid") +
                             " byte sequence for " + from + " at byte " + std::to_string(at));
    break;
  }
  iconv_close(cd);
  if (!error) return error;
  out.resize(static_cast<size_t>(dst - out.data()));
  return out;
}

// ISO-2022-JP (incl. Microsoft's CP50220/50221 flavour) to CP932 bytes by arithmetic: JIS X 0208
// rows map one to one onto Shift_JIS, and rows 13 and 89-92 carry NEC/IBM characters that glibc's
// strict ISO-2022-JP rejects but CP932 holds. Returns false for escapes it does not know
// (ISO-2022-JP-2/-3), so the caller hands the text to glibc.
bool iso2022jp_to_cp932(std::string_view in, std::string* out) {
  enum { kAscii, kJis0208, kKana } mode = kAscii;
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == 0x1B) {
      std::string_view esc = in.substr(i + 1, 2);
      if (esc == "(B" || esc == "(J")
        mode = kAscii;
      else if (esc == "$B" || esc == "$@")
        mode = kJis0208;
      else if (esc == "(I")
        mode = kKana;
      else
        return false;
      i += 2;
      continue;
    }
    if (c == 0x0E) {
      mode = kKana;
      continue;
    }  // SO/SI as some encoders write kana
    if (c == 0x0F) {
      mode = kAscii;
      continue;
    }
    if (c == '\r' || c == '\n') {
      out->push_back(static_cast<char>(c));
      continue;
    }
    if (c >= 0x80) return false;
    if (mode == kAscii) {
      out->push_back(static_cast<char>(c));
    } else if (mode == kKana) {
      out->push_back(static_cast<char>(c + 0x80));
    } else {
      if (i + 1 >= in.size()) return false;
      unsigned char c2 = static_cast<unsigned char>(in[++i]);
      if (c < 0x21 || c > 0x7E || c2 < 0x21 || c2 > 0x7E) return false;
      unsigned s1 = ((c + 1) >> 1) + (c <= 0x5E ? 0x70 : 0xB0);
      unsigned s2 = c2 + ((c & 1) ? (c2 >= 0x60 ? 0x20 : 0x1F) : 0x7E);
      out->push_back(static_cast<char>(s1));
      out->push_back(static_cast<char>(s2));
    }
  }
  return true;
}

}  // namespace

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string canonical_charset(std::string_view charset) {
  std::string c = lower(charset);
  if (c == "utf8") return "utf-8";
  if (c == "shift_jis" || c == "shift-jis" || c == "sjis" || c == "x-sjis" || c == "ms932" ||
      c == "windows-31j" || c == "cp932" || c == "x-ms-cp932" || c == "csshiftjis") {
    return "cp932";
  }
  if (c == "us-ascii" || c == "ascii" || c == "ansi_x3.4-1968") return "us-ascii";
  return c;
}

Result<std::string> to_utf8(std::string_view bytes, std::string_view charset) {
  std::string c = canonical_charset(charset);
  if (c.rfind("iso-2022-jp", 0) == 0) {
    // glibc's strict table first (so 〜 U+301C comes back as sent); then through CP932 for the
    // NEC/IBM characters Windows mailers put in (①, ㈱); then the -3 and -2 extensions.
    if (auto r = iconv_convert(bytes, "ISO-2022-JP", "UTF-8")) return r;
    std::string sjis;
    if (iso2022jp_to_cp932(bytes, &sjis)) {
      auto r = iconv_convert(sjis, "CP932", "UTF-8");
      if (r) return r;
    }
    for (const char* variant : {"ISO-2022-JP-3", "ISO-2022-JP-2"}) {
      auto r = iconv_convert(bytes, variant, "UTF-8");
      if (r) return r;
    }
    return Status::encoding("invalid byte sequence for ISO-2022-JP");
  }
  if (c.empty() || c == "utf-8" || c == "us-ascii" || is_ascii(bytes)) {
    // Mislabelled 8-bit "us-ascii" text is accepted when it is valid UTF-8.
    if (!iconv_convert(bytes, "UTF-8", "UTF-8")) return Status::encoding("invalid UTF-8 text");
    return std::string(bytes);
  }
  if (c == "cp932") return iconv_convert(bytes, "CP932", "UTF-8");
  std::string upper(c);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return iconv_convert(bytes, upper.c_str(), "UTF-8");
}

Result<std::string> from_utf8(std::string_view text, std::string_view charset) {
  std::string c = canonical_charset(charset);
  if (c == "utf-8") return std::string(text);
  if (c == "cp932") return iconv_convert(text, "UTF-8", "CP932");
  std::string upper(c);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  auto r = iconv_convert(text, "UTF-8", upper.c_str());
  if (!r) return Status::encoding("text has characters that " + upper + " cannot hold");
  return r;
}

}  // namespace jimu::mail

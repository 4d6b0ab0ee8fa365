#include "connectors/xml/xml_encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace jimu::xml {
namespace {

// The outcome of checking a run of UTF-8.
enum class Utf8Check { kOk, kIncomplete, kBadBytes, kBadChar };

bool allowed_control(unsigned char c) { return c == 0x09 || c == 0x0A || c == 0x0D; }

// Checks p[0..n): stops at the first problem, setting *valid to the bytes before it.
Utf8Check check_utf8(const unsigned char* p, size_t n, size_t* valid, char32_t* bad_char) {
  size_t i = 0;
  while (i < n) {
    // Fast path: eight printable ASCII bytes at a time.
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      const uint64_t high = 0x8080808080808080ull;
      const uint64_t below_space = (w - 0x2020202020202020ull) & ~w & high;
      if (((w & high) | below_space) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    // Fast path for kana and kanji: E1..EC lead bytes can be neither overlong, nor surrogates,
    // nor U+FFFE/U+FFFF, so two continuation bytes make a valid character.
    if (c >= 0xE1 && c <= 0xEC && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    if (c < 0x80) {
      if (c < 0x20 && !allowed_control(c)) {
        *valid = i;
        *bad_char = c;
        return Utf8Check::kBadChar;
      }
      ++i;
      continue;
    }
    size_t len;
    char32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      *valid = i;
      return Utf8Check::kBadBytes;
    }
    for (size_t k = 1; k < len; ++k) {
      if (i + k >= n) {
        *valid = i;
        return Utf8Check::kIncomplete;
      }
      unsigned char t = p[i + k];
      if ((t & 0xC0) != 0x80) {
        *valid = i;
        return Utf8Check::kBadBytes;
      }
      cp = (cp << 6) | (t & 0x3F);
    }
    bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      *valid = i;
      return Utf8Check::kBadBytes;
    }
    if (cp == 0xFFFE || cp == 0xFFFF) {
      *valid = i;
      *bad_char = cp;
      return Utf8Check::kBadChar;
    }
    i += len;
  }
  *valid = n;
  return Utf8Check::kOk;
}

std::string hex_bytes(const unsigned char* p, size_t n) {
  std::string out;
  char buf[8];
  for (size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%s0x%02X", i ? " " : "", p[i]);
    out += buf;
  }
  return out;
}

std::string bad_char_message(char32_t c) {
  return "character " + code_point_name(c) + " is not allowed in XML 1.0";
}

}  // namespace

std::string expectation(const DetectedEncoding& d) {
  if (d.forced) return describe(d) + ", the encoding asked for";
  if (d.bom_length > 0) return describe(d) + ", as its byte order mark says";
  if (d.declared.empty()) return describe(d) + ", XML's default when no encoding is declared";
  return describe(d) + ", the encoding the file declares (\"" + d.declared + "\")";
}

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

class Utf8PassThrough : public Utf8Decoder {
 public:
  explicit Utf8PassThrough(std::string expected) : expected_(std::move(expected)) {}
  Status decode(const char* in, size_t n, bool last, std::string& out) override {
    size_t start = out.size();
    out.append(carry_);
    out.append(in, n);
    carry_.clear();
    size_t valid = 0;
    char32_t bad = 0;
    auto* p = reinterpret_cast<const unsigned char*>(out.data()) + start;
    size_t len = out.size() - start;
    Utf8Check r = check_utf8(p, len, &valid, &bad);
    if (r == Utf8Check::kOk) return Status::ok();
    if (r == Utf8Check::kIncomplete && !last) {
      carry_.assign(out, start + valid, std::string::npos);
      out.resize(start + valid);
      return Status::ok();
    }
    std::string shown = hex_bytes(p + valid, std::min<size_t>(len - valid, 2));
    out.resize(start + valid);
    if (r == Utf8Check::kBadChar) return Status::parse(bad_char_message(bad));
    if (r == Utf8Check::kIncomplete) {
      return Status::encoding("incomplete UTF-8 sequence " + shown + " at end of file; expected " +
                              expected_);
    }
    return Status::encoding("bytes " + shown + " are not valid " + expected_);
  }

 private:
  std::string expected_;
  std::string carry_;
};

class IconvDecoder : public Utf8Decoder {
 public:
  IconvDecoder(iconv_t cd, std::string expected) : cd_(cd), expected_(std::move(expected)) {}
  ~IconvDecoder() override { iconv_close(cd_); }
  Status decode(const char* in, size_t n, bool last, std::string& out) override {
    std::string input;
    const char* src = in;
    size_t left = n;
    if (!carry_.empty()) {
      input = carry_;
      input.append(in, n);
      carry_.clear();
      src = input.data();
      left = input.size();
    }
    size_t start = out.size();
    Status status;
    while (left > 0) {
      size_t used = out.size();
      out.resize(used + left * 3 + 64);
      char* dst = out.data() + used;
      size_t room = out.size() - used;
      char* in_ptr = const_cast<char*>(src);
      size_t rc = iconv(cd_, &in_ptr, &left, &dst, &room);
      int err = errno;
      out.resize(static_cast<size_t>(dst - out.data()));
      src = in_ptr;
      if (rc != static_cast<size_t>(-1)) break;
      if (err == E2BIG) continue;
      auto* u = reinterpret_cast<const unsigned char*>(src);
      if (err == EINVAL && !last) {
        carry_.assign(src, left);
        left = 0;
        break;
      }
      std::string shown = hex_bytes(u, std::min<size_t>(left, 2));
      status = err == EINVAL ? Status::encoding("incomplete byte sequence " + shown +
                                                " at end of file; expected " + expected_)
                             : Status::encoding("bytes " + shown + " are not valid " + expected_);
      break;
    }
    // iconv's output is valid UTF-8, but it may hold characters XML does not allow.
    size_t valid = 0;
    char32_t bad = 0;
    auto* p = reinterpret_cast<const unsigned char*>(out.data()) + start;
    if (check_utf8(p, out.size() - start, &valid, &bad) == Utf8Check::kBadChar) {
      out.resize(start + valid);
      return Status::parse(bad_char_message(bad));
    }
    return status;
  }

 private:
  iconv_t cd_;
  std::string expected_;
  std::string carry_;
};

}  // namespace

void advance(TextPos& pos, const char* p, size_t n) {
  const char* end = p + n;
  const char* last_nl = static_cast<const char*>(memrchr(p, '\n', n));
  const char* from = p;
  if (last_nl != nullptr) {
    pos.line += static_cast<size_t>(std::count(p, last_nl + 1, '\n'));
    pos.col = 1;
    from = last_nl + 1;
  }
  for (const char* q = from; q < end; ++q) {
    if ((static_cast<unsigned char>(*q) & 0xC0) != 0x80) ++pos.col;
  }
}

std::string where(const std::string& display, TextPos pos) {
  return display + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col);
}

std::string describe(const DetectedEncoding& d) {
  switch (d.encoding) {
    case SourceEncoding::kUtf8:
      return "UTF-8";
    case SourceEncoding::kUtf16Le:
      return "UTF-16LE";
    case SourceEncoding::kUtf16Be:
      return "UTF-16BE";
    case SourceEncoding::kCp932:
      return "Shift_JIS (CP932)";
    case SourceEncoding::kEucJp:
      return "EUC-JP";
  }
  return "?";
}

Result<DetectedEncoding> detect_encoding(std::string_view head, const std::string& display) {
  DetectedEncoding d;
  auto starts = [&](const char* bytes, size_t n) {
    return head.size() >= n && std::memcmp(head.data(), bytes, n) == 0;
  };
  if (starts("\xFF\xFE", 2)) {
    d.encoding = SourceEncoding::kUtf16Le;
    d.bom_length = 2;
    return d;
  }
  if (starts("\xFE\xFF", 2)) {
    d.encoding = SourceEncoding::kUtf16Be;
    d.bom_length = 2;
    return d;
  }
  if (starts("<\0?\0", 4)) {
    d.encoding = SourceEncoding::kUtf16Le;
    return d;
  }
  if (starts("\0<\0?", 4)) {
    d.encoding = SourceEncoding::kUtf16Be;
    return d;
  }
  if (starts("\xEF\xBB\xBF", 3)) d.bom_length = 3;
  std::string_view rest = head.substr(d.bom_length);
  if (rest.size() < 6 || rest.substr(0, 5) != "<?xml" || !is_space(rest[5])) return d;
  size_t close = rest.find("?>");
  std::string_view decl = rest.substr(0, close == std::string_view::npos ? rest.size() : close);
  size_t key = decl.find("encoding");
  if (key == std::string_view::npos) return d;
  size_t i = key + 8;
  while (i < decl.size() && is_space(decl[i])) ++i;
  if (i >= decl.size() || decl[i] != '=') return d;
  ++i;
  while (i < decl.size() && is_space(decl[i])) ++i;
  if (i >= decl.size() || (decl[i] != '"' && decl[i] != '\'')) return d;
  char quote = decl[i++];
  size_t end = decl.find(quote, i);
  if (end == std::string_view::npos) return d;
  d.declared = std::string(decl.substr(i, end - i));
  TextPos pos;
  pos.col = i + 1;
  std::string name = upper(d.declared);
  if (name == "UTF-8" || name == "UTF8" || name == "US-ASCII" || name == "ASCII") {
    d.encoding = SourceEncoding::kUtf8;
  } else if (name == "SHIFT_JIS" || name == "SHIFT-JIS" || name == "SJIS" || name == "X-SJIS" ||
             name == "MS_KANJI" || name == "CSSHIFTJIS" || name == "WINDOWS-31J" ||
             name == "CSWINDOWS31J" || name == "CP932" || name == "MS932" ||
             name == "WINDOWS-932") {
    d.encoding = SourceEncoding::kCp932;
  } else if (name == "EUC-JP" || name == "EUCJP" || name == "X-EUC-JP") {
    d.encoding = SourceEncoding::kEucJp;
  } else if (name == "UTF-16" || name == "UTF-16LE" || name == "UTF-16BE") {
    return Status::encoding(where(display, pos) + ": the file declares encoding \"" + d.declared +
                            "\" but its bytes are not UTF-16 (no byte order mark)");
  } else {
    return Status::encoding(where(display, pos) + ": unsupported encoding \"" + d.declared +
                            "\" (jimu reads UTF-8, UTF-16, Shift_JIS/CP932 and EUC-JP)");
  }
  if (d.bom_length == 3 && d.encoding != SourceEncoding::kUtf8) {
    return Status::encoding(where(display, pos) + ": the file declares encoding \"" + d.declared +
                            "\" but starts with a UTF-8 byte order mark");
  }
  return d;
}

Result<DetectedEncoding> choose_encoding(std::string_view head, const std::string& display,
                                         std::string_view forced) {
  if (forced.empty() || forced == "auto") return detect_encoding(head, display);
  DetectedEncoding d;
  d.forced = true;
  if (forced == "utf-8") {
    d.encoding = SourceEncoding::kUtf8;
    if (head.substr(0, 3) == "\xEF\xBB\xBF") d.bom_length = 3;
  } else if (forced == "shift_jis" || forced == "cp932") {
    d.encoding = SourceEncoding::kCp932;
  } else if (forced == "euc-jp") {
    d.encoding = SourceEncoding::kEucJp;
  } else {
    return Status::invalid("unknown encoding '" + std::string(forced) +
                           "' (expected auto, utf-8, shift_jis, cp932 or euc-jp)");
  }
  return d;
}

Result<std::unique_ptr<Utf8Decoder>> Utf8Decoder::create(const DetectedEncoding& detected) {
  const char* from = nullptr;
  switch (detected.encoding) {
    case SourceEncoding::kUtf8:
      return std::unique_ptr<Utf8Decoder>(new Utf8PassThrough(expectation(detected)));
    case SourceEncoding::kUtf16Le:
      from = "UTF-16LE";
      break;
    case SourceEncoding::kUtf16Be:
      from = "UTF-16BE";
      break;
    case SourceEncoding::kCp932:
      from = "CP932";
      break;
    case SourceEncoding::kEucJp:
      from = "EUC-JP";
      break;
  }
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::internal(std::string("iconv cannot convert from ") + from);
  }
  return std::unique_ptr<Utf8Decoder>(new IconvDecoder(cd, expectation(detected)));
}

size_t validate_utf8(std::string_view text, Status* status, const std::string& expected) {
  size_t valid = 0;
  char32_t bad = 0;
  auto* p = reinterpret_cast<const unsigned char*>(text.data());
  Utf8Check r = check_utf8(p, text.size(), &valid, &bad);
  if (r == Utf8Check::kOk) return valid;
  std::string shown = hex_bytes(p + valid, std::min<size_t>(text.size() - valid, 2));
  if (r == Utf8Check::kBadChar) {
    *status = Status::parse(bad_char_message(bad));
  } else {
    *status = Status::encoding("bytes " + shown + " are not valid " + expected);
  }
  return valid;
}

Cp932Encoder::Cp932Encoder() : cd_(iconv_open("CP932", "UTF-8")) {}
Cp932Encoder::~Cp932Encoder() {
  if (ok()) iconv_close(static_cast<iconv_t>(cd_));
}
bool Cp932Encoder::ok() const { return cd_ != reinterpret_cast<void*>(-1); }

bool Cp932Encoder::encode(std::string_view utf8, std::string& out, char32_t* bad) {
  auto cd = static_cast<iconv_t>(cd_);
  char* src = const_cast<char*>(utf8.data());
  size_t left = utf8.size();
  while (left > 0) {
    size_t used = out.size();
    out.resize(used + left * 2 + 16);
    char* dst = out.data() + used;
    size_t room = out.size() - used;
    size_t rc = iconv(cd, &src, &left, &dst, &room);
    int err = errno;
    out.resize(static_cast<size_t>(dst - out.data()));
    if (rc != static_cast<size_t>(-1)) break;
    if (err == E2BIG) continue;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    size_t len = 0;
    *bad = first_code_point(std::string_view(src, left), &len);
    return false;
  }
  return true;
}

char32_t first_code_point(std::string_view s, size_t* length) {
  auto c = static_cast<unsigned char>(s[0]);
  size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  len = std::min(len, s.size());
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
  *length = len;
  return cp;
}

size_t decode_utf8_char(std::string_view s, char32_t* cp) {
  if (s.empty()) return 0;
  auto c = static_cast<unsigned char>(s[0]);
  size_t len;
  char32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    v = c & 0x07;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    auto t = static_cast<unsigned char>(s[k]);
    if ((t & 0xC0) != 0x80) return 0;
    v = (v << 6) | (t & 0x3F);
  }
  if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) || v > 0x10FFFF ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return len;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string code_point_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace jimu::xml

// UTF-8 decoding and encoding for the text connector's single-pass folds.
//
// Strict decoding as the Unicode standard defines well-formed UTF-8 (Table 3-7): no overlong forms,
// no surrogates, nothing above U+10FFFF. Header-only so the inner loops inline. Thread-safe: pure
// functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace jimu::text::utf8 {

inline constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at p (p < end) and advances p past it. On ill-formed input returns
// kInvalid and leaves p where the bad sequence starts.
inline char32_t decode(const unsigned char*& p, const unsigned char* end) {
  unsigned char b0 = p[0];
  if (b0 < 0x80) {
    ++p;
    return b0;
  }
  size_t left = static_cast<size_t>(end - p);
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (left < 2 || (p[1] & 0xC0) != 0x80) return kInvalid;
    char32_t c = (char32_t(b0 & 0x1F) << 6) | (p[1] & 0x3F);
    p += 2;
    return c;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return kInvalid;
    if (b0 == 0xE0 && p[1] < 0xA0) return kInvalid;  // overlong
    if (b0 == 0xED && p[1] > 0x9F) return kInvalid;  // surrogate
    char32_t c = (char32_t(b0 & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    p += 3;
    return c;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) {
      return kInvalid;
    }
    if (b0 == 0xF0 && p[1] < 0x90) return kInvalid;  // overlong
    if (b0 == 0xF4 && p[1] > 0x8F) return kInvalid;  // above U+10FFFF
    char32_t c = (char32_t(b0 & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) |
                 (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    p += 4;
    return c;
  }
  return kInvalid;
}

inline void append(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// The error every text function returns for ill-formed input; offset counts bytes from 1.
inline Status invalid_at(std::string_view s, size_t offset) {
  static const char kHex[] = "0123456789ABCDEF";
  unsigned char b = static_cast<unsigned char>(s[offset]);
  std::string m = "invalid UTF-8 at byte " + std::to_string(offset + 1) + " (0x";
  m.push_back(kHex[b >> 4]);
  m.push_back(kHex[b & 0xF]);
  m += ")";
  return Status::encoding(std::move(m));
}

// ok, or the encoding error naming the first ill-formed byte.
inline Status validate(std::string_view s) {
  auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  auto* p = begin;
  auto* end = begin + s.size();
  while (p < end) {
    // ASCII runs eight bytes at a time: most lines of Japanese data still have much ASCII.
    while (end - p >= 8) {
      uint64_t w;
      __builtin_memcpy(&w, p, 8);
      if (w & 0x8080808080808080ULL) break;
      p += 8;
    }
    if (p >= end) break;
    if (decode(p, end) == kInvalid) return invalid_at(s, static_cast<size_t>(p - begin));
  }
  return Status::ok();
}

}  // namespace jimu::text::utf8

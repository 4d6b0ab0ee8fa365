#include "connectors/csv/csv_encoding.h"

#include <errno.h>
#include <iconv.h>

#include <array>
#include <bit>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace jimu::csv {

const char* encoding_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::kAuto:
      return "auto";
    case Encoding::kUtf8:
      return "utf-8";
    case Encoding::kCp932:
      return "cp932";
  }
  return "?";
}

namespace {

bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

// The length of a valid sequence at s (1-4), 0 when invalid, or -k when the k bytes left are
// a valid but incomplete beginning.
int utf8_sequence(const unsigned char* s, size_t left) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  int len;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  for (int k = 1; k < len; ++k) {
    if (static_cast<size_t>(k) >= left) return -k;
    unsigned char b = s[k];
    if (k == 1 ? (b < lo || b > hi) : !is_cont(b)) return 0;
  }
  return len;
}

// Entries: the UTF-8 bytes in the low three bytes (first byte lowest), the length in the top
// byte; 0 = invalid; kLead marks a lead byte of a two-byte sequence.
constexpr uint32_t kLead = 0xFFFFFFFFu;

struct Cp932Table {
  std::array<uint32_t, 256> single{};
  std::vector<uint32_t> pair = std::vector<uint32_t>(65536, 0);
};

uint32_t pack(const char* utf8, size_t len) {
  uint32_t e = static_cast<uint32_t>(len) << 24;
  for (size_t k = 0; k < len; ++k)
    e |= static_cast<uint32_t>(static_cast<unsigned char>(utf8[k])) << (8 * k);
  return e;
}

// Converts bytes with iconv; returns the packed entry, 0 when invalid, kLead when incomplete.
uint32_t convert_one(iconv_t cd, const unsigned char* bytes, size_t n) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  char in[2] = {static_cast<char>(bytes[0]), n > 1 ? static_cast<char>(bytes[1]) : '\0'};
  char out[16];
  char* ip = in;
  char* op = out;
  size_t il = n, ol = sizeof out;
  size_t r = iconv(cd, &ip, &il, &op, &ol);
  if (r == static_cast<size_t>(-1)) return errno == EINVAL ? kLead : 0;
  size_t len = static_cast<size_t>(op - out);
  if (il != 0 || len == 0 || len > 3) return 0;
  return pack(out, len);
}

const Cp932Table& cp932_table() {
  static const Cp932Table table = [] {
    Cp932Table t;
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
      throw std::runtime_error(
          "iconv cannot convert from CP932 on this system (glibc gconv missing?)");
    }
    for (int b = 0; b < 256; ++b) {
      unsigned char byte = static_cast<unsigned char>(b);
      t.single[b] =
          b < 0x80 ? pack(reinterpret_cast<const char*>(&byte), 1) : convert_one(cd, &byte, 1);
    }
    for (int lead = 0x80; lead < 256; ++lead) {
      if (t.single[lead] != kLead) continue;
      for (int trail = 0; trail < 256; ++trail) {
        unsigned char two[2] = {static_cast<unsigned char>(lead),
                                static_cast<unsigned char>(trail)};
        uint32_t e = convert_one(cd, two, 2);
        t.pair[(lead << 8) | trail] = e == kLead ? 0 : e;
      }
    }
    iconv_close(cd);
    return t;
  }();
  return table;
}

}  // namespace

Utf8Check check_utf8(const char* data, size_t n) {
  const auto* s = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < n) {
    // ASCII runs eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    int len = utf8_sequence(s + i, n - i);
    if (len <= 0) return {i, len < 0};
    i += static_cast<size_t>(len);
  }
  return {n, false};
}

uint32_t decode_utf8(const char* str, size_t n, size_t* len) {
  const auto* s = reinterpret_cast<const unsigned char*>(str);
  int l = n == 0 ? 0 : utf8_sequence(s, n);
  if (l <= 0) {
    *len = n == 0 ? 0 : 1;
    return n == 0 ? 0 : s[0];
  }
  *len = static_cast<size_t>(l);
  if (l == 1) return s[0];
  uint32_t cp = s[0] & (0x7F >> l);
  for (int k = 1; k < l; ++k) cp = (cp << 6) | (s[k] & 0x3F);
  return cp;
}

size_t count_utf8_chars(const char* s, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) count += !is_cont(static_cast<unsigned char>(s[i]));
  return count;
}

std::string hex_bytes(const char* s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n && i < 4; ++i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s0x%02X", i ? " " : "", static_cast<unsigned char>(s[i]));
    out += buf;
  }
  return out;
}

static_assert(std::endian::native == std::endian::little,
              "decode_cp932 writes entries little-endian");

DecodeStep decode_cp932(const char* in_chars, size_t n, char* out) {
  const Cp932Table& table = cp932_table();
  // Local pointers: writes through out may alias anything, so members would be reloaded.
  const uint32_t* single = table.single.data();
  const uint32_t* pair = table.pair.data();
  const auto* in = reinterpret_cast<const unsigned char*>(in_chars);
  size_t i = 0, o = 0;
  DecodeStep step;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, in + i, 8);
      if (w & 0x8080808080808080ull) break;
      std::memcpy(out + o, &w, 8);
      i += 8;
      o += 8;
    }
    if (i >= n) break;
    unsigned char b = in[i];
    if (b < 0x80) {
      out[o++] = static_cast<char>(b);
      ++i;
      continue;
    }
    uint32_t e = single[b];
    size_t width = 1;
    if (e == kLead) {
      if (i + 1 >= n) break;  // cut by the end of the chunk
      e = pair[(b << 8) | in[i + 1]];
      width = 2;
    }
    if (e == 0) {
      step.invalid = true;
      break;
    }
    // Four bytes at once (little-endian: the UTF-8 bytes in order, then the length byte, which
    // the next character overwrites; out has the slack).
    uint32_t le = e & 0x00FFFFFFu;
    std::memcpy(out + o, &le, 4);
    o += e >> 24;
    i += width;
  }
  step.consumed = i;
  step.produced = o;
  return step;
}

Cp932Encoder::Cp932Encoder() {
  iconv_t cd = iconv_open("CP932", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    throw std::runtime_error("iconv cannot convert to CP932 on this system (glibc gconv missing?)");
  }
  cd_ = cd;
}

Cp932Encoder::~Cp932Encoder() { iconv_close(static_cast<iconv_t>(cd_)); }

Cp932Encoder::Step Cp932Encoder::encode(const char* in, size_t n, std::string& out) {
  Step step;
  size_t start = out.size();
  out.resize(start + 2 * n + 8);  // CP932 is never longer than 2x its UTF-8
  char* ip = const_cast<char*>(in);
  size_t il = n;
  char* op = out.data() + start;
  size_t ol = out.size() - start;
  iconv_t cd = static_cast<iconv_t>(cd_);
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  size_t r = iconv(cd, &ip, &il, &op, &ol);
  int err = r == static_cast<size_t>(-1) ? errno : 0;
  out.resize(static_cast<size_t>(op - out.data()));
  step.consumed = static_cast<size_t>(ip - in);
  if (err == 0) return step;
  // EILSEQ: a character CP932 lacks, or bytes that are not UTF-8; EINVAL: cut UTF-8 at the end.
  int len =
      utf8_sequence(reinterpret_cast<const unsigned char*>(in + step.consumed), n - step.consumed);
  step.outcome = (err == EILSEQ && len > 0) ? Outcome::kUnmappable : Outcome::kInvalidUtf8;
  return step;
}

}  // namespace jimu::csv

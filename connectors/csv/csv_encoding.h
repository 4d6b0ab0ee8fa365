// Character encodings of CSV files: UTF-8 checks and CP932 (Shift_JIS as Windows writes it).
//
// CP932 is glibc iconv's "CP932" in both directions (DEPENDENCIES.md: not "SHIFT_JIS", which is
// the strict JIS table and refuses NEC/IBM characters such as ① ㈱ 髙). Decoding uses a table
// that is filled once from iconv itself, so the mapping is exactly glibc's while the hot loop is
// a table look-up; encoding calls iconv directly (it also knows the many-to-one mappings such as
// U+301C 〜 and U+FF5E ～ both to 0x8160).
//
// Everything here works on chunks: a multi-byte sequence cut by a chunk boundary is left
// unconsumed for the caller to carry over. Thread-safe: the decode table is built once under a
// function-local static; Cp932Encoder objects are not shared between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace jimu::csv {

enum class Encoding { kAuto, kUtf8, kCp932 };

// "auto", "utf-8", "cp932".
const char* encoding_name(Encoding encoding);

// How far [data, data + n) is valid UTF-8. valid: the length of the valid prefix.
// incomplete: the bytes after it are the start of a sequence cut by the end of the data (so
// more data may complete it); false when they are invalid outright (or valid == n).
struct Utf8Check {
  size_t valid = 0;
  bool incomplete = false;
};
Utf8Check check_utf8(const char* data, size_t n);

// The code point of the (valid) UTF-8 sequence at s, and its length in bytes through len.
uint32_t decode_utf8(const char* s, size_t n, size_t* len);

// Characters (code points) in valid UTF-8 text: the bytes that are not continuation bytes.
size_t count_utf8_chars(const char* s, size_t n);

// Up to the first 4 bytes at s as "0x81 0x20" (for messages naming bad input).
std::string hex_bytes(const char* s, size_t n);

// CP932 -> UTF-8, chunk by chunk.
struct DecodeStep {
  size_t consumed = 0;   // input bytes converted
  size_t produced = 0;   // UTF-8 bytes written to out
  bool invalid = false;  // stopped at an invalid sequence (at in + consumed)
};
// Converts [in, in + n) into out, which must hold 3 * n + 4 bytes. Stops before an incomplete
// trailing lead byte (invalid false, consumed < n) or at an invalid sequence (invalid true).
DecodeStep decode_cp932(const char* in, size_t n, char* out);

// UTF-8 -> CP932 with glibc iconv. One per writer.
class Cp932Encoder {
 public:
  Cp932Encoder();
  ~Cp932Encoder();
  Cp932Encoder(const Cp932Encoder&) = delete;
  Cp932Encoder& operator=(const Cp932Encoder&) = delete;

  enum class Outcome { kOk, kUnmappable, kInvalidUtf8 };
  struct Step {
    Outcome outcome = Outcome::kOk;
    size_t consumed = 0;  // input bytes converted before the problem (all of them when kOk)
  };
  // Appends the CP932 form of [in, in + n) to out, stopping at the first character CP932
  // cannot hold or at invalid UTF-8.
  Step encode(const char* in, size_t n, std::string& out);

 private:
  void* cd_;  // iconv_t
};

}  // namespace jimu::csv

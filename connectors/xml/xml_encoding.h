// Character encodings of XML files: detection from the byte order mark and the XML declaration,
// decoding to UTF-8 (with validation against XML 1.0's Char production) and encoding UTF-8 to
// CP932 for writing. Positions in messages are line:column, columns counted in characters.
//
// Supported sources: UTF-8 (the default when nothing is declared), UTF-16 LE/BE (by BOM or by the
// "<?" pattern), Shift_JIS and its aliases, which are read as CP932 because that is what Windows
// writes under those names, and EUC-JP. glibc iconv does the non-UTF-8 work and is the only place
// it is used. Plain C++; a decoder or encoder object belongs to one thread, the functions are
// thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace jimu::xml {

// A position in UTF-8 text: 1-based line and column, the column in characters.
struct TextPos {
  size_t line = 1;
  size_t col = 1;
};

// Moves pos over the n bytes at p (UTF-8; a LF starts a new line).
void advance(TextPos& pos, const char* p, size_t n);
// "display:LINE:COL"
std::string where(const std::string& display, TextPos pos);

enum class SourceEncoding { kUtf8, kUtf16Le, kUtf16Be, kCp932, kEucJp };

struct DetectedEncoding {
  SourceEncoding encoding = SourceEncoding::kUtf8;
  size_t bom_length = 0;  // bytes of byte order mark to skip
  std::string declared;   // the name in the declaration as written; empty when none
  bool forced = false;    // chosen by the caller (opts.encoding), not detected
};

// Detects the encoding from the first bytes of a file (a few hundred are enough). An encoding
// declared but not supported is an encoding error naming it; display names the file.
Result<DetectedEncoding> detect_encoding(std::string_view head, const std::string& display);

// The encoding to read with: detected as above when forced is "auto" or empty, else one of
// "utf-8", "shift_jis", "cp932", "euc-jp" whatever the file declares (a BOM is still skipped).
// Returns invalid for any other forced name.
Result<DetectedEncoding> choose_encoding(std::string_view head, const std::string& display,
                                         std::string_view forced);

// How messages name an encoding: "UTF-8", "Shift_JIS (CP932)", ...
std::string describe(const DetectedEncoding& detected);
// The encoding and why it was chosen, for "bytes ... are not valid ..." messages:
// "UTF-8, the encoding the file declares (\"UTF-8\")".
std::string expectation(const DetectedEncoding& detected);

// Decodes a byte stream in the detected encoding to UTF-8, piece by piece, and checks that every
// character is one XML 1.0 allows. A multi-byte sequence split across pieces is kept for the next
// call. On bad input, decode() appends the valid text before it to out and returns the error:
// code encoding for bytes invalid in the encoding, parse for a character XML does not allow. The
// message has no location: the caller knows where out ends and prefixes "file:line:col: ".
class Utf8Decoder {
 public:
  static Result<std::unique_ptr<Utf8Decoder>> create(const DetectedEncoding& detected);
  virtual ~Utf8Decoder() = default;
  // Decodes in[0..n), appending to out; last says no more input follows.
  virtual Status decode(const char* in, size_t n, bool last, std::string& out) = 0;
};

// Checks UTF-8 text in place (the fast path for UTF-8 files read whole). Returns the number of
// valid bytes; *status is set when that is less than text.size().
size_t validate_utf8(std::string_view text, Status* status, const std::string& expected);

// Encodes UTF-8 text to CP932, appending to out. On a character CP932 cannot hold returns false
// and sets *bad to its code point. Not thread-safe per object.
class Cp932Encoder {
 public:
  Cp932Encoder();
  ~Cp932Encoder();
  Cp932Encoder(const Cp932Encoder&) = delete;
  Cp932Encoder& operator=(const Cp932Encoder&) = delete;
  bool ok() const;
  bool encode(std::string_view utf8, std::string& out, char32_t* bad);

 private:
  void* cd_;  // iconv_t
};

// Decodes the UTF-8 character at the front of s (s must be valid UTF-8 and non-empty).
char32_t first_code_point(std::string_view s, size_t* length);
// Decodes and validates one UTF-8 character at the front of s: its length, or 0 when the bytes
// are not valid UTF-8 (overlong, surrogate, truncated).
size_t decode_utf8_char(std::string_view s, char32_t* cp);
// Appends c as UTF-8.
void append_utf8(std::string& out, char32_t c);
// "U+20B9F"
std::string code_point_name(char32_t c);

}  // namespace jimu::xml

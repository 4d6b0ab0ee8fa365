#include "connectors/text/nfkc.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utypes.h>
#include <unicode/uversion.h>

#include "connectors/text/utf8.h"

namespace jimu::text {
namespace {

// The first offset at or after from where a piece may start: a code point that has a
// normalisation boundary before it, so the text before and after it normalise independently.
size_t boundary_at_or_after(const icu::Normalizer2& nfkc, std::string_view s, size_t from) {
  auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  auto* end = begin + s.size();
  auto* p = begin + from;
  while (p < end && (*p & 0xC0) == 0x80) ++p;  // to the start of a code point
  while (p < end) {
    auto* at = p;
    char32_t c = utf8::decode(p, end);  // the text was validated: never kInvalid
    if (nfkc.hasBoundaryBefore(static_cast<UChar32>(c))) return static_cast<size_t>(at - begin);
  }
  return s.size();
}

}  // namespace

Result<std::string> normalize_nfkc(std::string_view s, const Tick& tick) {
  // ICU would replace ill-formed bytes with U+FFFD silently; data with broken bytes is an error.
  Status valid = utf8::validate(s);
  if (!valid) return valid;
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(error);
  if (U_FAILURE(error) || nfkc == nullptr) {
    return Status::internal(std::string("ICU cannot load its NFKC data: ") + u_errorName(error));
  }
  std::string out;
  out.reserve(s.size());
  icu::StringByteSink<std::string> sink(&out);
  size_t start = 0;
  while (start < s.size()) {
    size_t stop = s.size();
    if (s.size() - start > kTickBytes) stop = boundary_at_or_after(*nfkc, s, start + kTickBytes);
    std::string_view piece = s.substr(start, stop - start);
    nfkc->normalizeUTF8(0, icu::StringPiece(piece.data(), static_cast<int32_t>(piece.size())), sink,
                        nullptr, error);
    if (U_FAILURE(error)) {
      return Status::internal(std::string("ICU failed to normalise the text: ") +
                              u_errorName(error));
    }
    start = stop;
    if (start < s.size() && tick) tick();
  }
  return out;
}

std::string unicode_version() {
  UVersionInfo v;
  u_getUnicodeVersion(v);
  return std::to_string(v[0]) + "." + std::to_string(v[1]);
}

}  // namespace jimu::text

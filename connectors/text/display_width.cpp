#include "connectors/text/display_width.h"

#include <unicode/uchar.h>

#include "connectors/text/utf8.h"

namespace jimu::text {
namespace {

int width_of(char32_t c, int ambiguous) {
  auto cp = static_cast<UChar32>(c);
  switch (u_charType(cp)) {
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_FORMAT_CHAR:
    case U_CONTROL_CHAR:
      return 0;
    default:
      break;
  }
  switch (u_getIntPropertyValue(cp, UCHAR_EAST_ASIAN_WIDTH)) {
    case U_EA_WIDE:
    case U_EA_FULLWIDTH:
      return 2;
    case U_EA_AMBIGUOUS:
      return ambiguous;
    default:
      return 1;
  }
}

}  // namespace

Result<int64_t> display_width(std::string_view s, int ambiguous, const Tick& tick) {
  auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  auto* end = begin + s.size();
  auto* p = begin;
  auto* next_tick = begin + kTickBytes;
  int64_t width = 0;
  while (p < end) {
    unsigned char b = *p;
    if (b < 0x80) {
      ++p;
      width += (b >= 0x20 && b != 0x7F) ? 1 : 0;
      continue;
    }
    if (p >= next_tick && tick) {
      tick();
      next_tick = p + kTickBytes;
    }
    auto* at = p;
    char32_t c = utf8::decode(p, end);
    if (c == utf8::kInvalid) return utf8::invalid_at(s, static_cast<size_t>(at - begin));
    width += width_of(c, ambiguous);
  }
  return width;
}

}  // namespace jimu::text

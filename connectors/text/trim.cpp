#include "connectors/text/trim.h"

#include "connectors/text/utf8.h"

namespace jimu::text {
namespace {

// The length of the white space ending at s[end - 1], or 0.
size_t space_before(std::string_view s, size_t end) {
  if (end == 0) return 0;
  switch (s[end - 1]) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
      return 1;
    default:
      break;
  }
  if (end >= 2 && s.substr(end - 2, 2) == "\xC2\xA0") return 2;
  if (end >= 3 && s.substr(end - 3, 3) == "\xE3\x80\x80") return 3;
  return 0;
}

// The length of the white space starting at s[begin], or 0.
size_t space_at(std::string_view s, size_t begin) {
  if (begin >= s.size()) return 0;
  switch (s[begin]) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
      return 1;
    default:
      break;
  }
  if (s.substr(begin, 2) == "\xC2\xA0") return 2;
  if (s.substr(begin, 3) == "\xE3\x80\x80") return 3;
  return 0;
}

}  // namespace

Result<std::string_view> trim(std::string_view s) {
  Status valid = utf8::validate(s);
  if (!valid) return valid;
  size_t begin = 0;
  size_t end = s.size();
  while (size_t n = space_at(s, begin)) begin += n;
  while (end > begin) {
    size_t n = space_before(s, end);
    if (n == 0) break;
    end -= n;
  }
  return s.substr(begin, end - begin);
}

}  // namespace jimu::text

// Trimming of white space including the ideographic space U+3000 (全角スペース), which Japanese
// input methods type and spreadsheet cells keep. Pure functions: thread-safe.
#pragma once

#include <string_view>

#include "engine/core/status.h"

namespace jimu::text {

// s without leading and trailing white space: ASCII space, tab, LF, VT, FF, CR, U+00A0 (no-break
// space) and U+3000. The result views s. Fails (encoding) on ill-formed UTF-8 anywhere in s.
Result<std::string_view> trim(std::string_view s);

}  // namespace jimu::text

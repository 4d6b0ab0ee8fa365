// TextProgress: how the text connector's long loops let their caller interrupt them.
//
// The folds and NFKC below run over whole strings (100 MB is a normal CSV export); they call the
// tick about once per MiB so a caller can stop them (the Lua binding passes lua::check_stop, which
// raises). Not thread-safe by itself: a tick runs on the caller's thread.
#pragma once

#include <cstddef>
#include <functional>

namespace jimu::text {

using Tick = std::function<void()>;

// Bytes of input between two calls of a Tick.
inline constexpr size_t kTickBytes = size_t{1} << 20;

}  // namespace jimu::text

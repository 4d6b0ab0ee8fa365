// Unicode NFKC normalisation exactly as ICU does it (icu::Normalizer2::getNFKCInstance).
//
// NFKC folds compatibility characters: ① -> 1, ㈱ -> (株), ＡＢＣ -> ABC, ｶﾞ -> ガ, ～ -> ~. It
// leaves characters that are not compatibility variants alone (髙 stays 髙, 〜 U+301C stays). This
// file pair is the only place jimu includes ICU's normaliser. Thread-safe: ICU's normaliser
// instance is immutable and shared.
#pragma once

#include <string>
#include <string_view>

#include "connectors/text/text_progress.h"
#include "engine/core/status.h"

namespace jimu::text {

// NFKC of UTF-8 text. Fails with an encoding error naming the first ill-formed byte ("invalid
// UTF-8 at byte 4 (0xFF)"); internal if ICU cannot load its data. Long text is normalised in
// pieces of about 1 MiB cut at normalisation boundaries (the result is identical), calling tick
// between pieces.
Result<std::string> normalize_nfkc(std::string_view s, const Tick& tick = {});

// The Unicode version of the ICU data in use ("15.0"), for messages and the reference.
std::string unicode_version();

}  // namespace jimu::text

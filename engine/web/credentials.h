// Credentials of the web pages: password hashes, random secrets and their digests (issue 8).
//
// Passwords are hashed with PBKDF2-HMAC-SHA256 (OpenSSL), a random 16-byte salt per hash and a
// high iteration count, encoded as "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" so the count can
// rise later without invalidating stored hashes. Checks compare in constant time. Session ids,
// CSRF tokens and API tokens are random bytes from OpenSSL's RAND_bytes; the store keeps only
// their SHA-256. Thread-safe (no state).
#pragma once

#include <string>

#include "engine/core/status.h"

namespace jimu::web {

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
inline constexpr int kDefaultPasswordIterations = 600000;
inline constexpr int kMinPasswordIterations = 1000;

// The encoded hash of password. invalid for an empty password or too few iterations; internal
// when OpenSSL fails.
Result<std::string> hash_password(const std::string& password,
                                  int iterations = kDefaultPasswordIterations);

// Whether password matches encoded (false for a malformed encoding).
bool verify_password(const std::string& password, const std::string& encoded);

// n random bytes from OpenSSL, as 2n lowercase hex digits. Aborts the request with internal if
// the generator cannot be seeded (never silently weaker).
Result<std::string> random_hex(int n_bytes);

// SHA-256 of text, as 64 lowercase hex digits.
std::string sha256_hex(const std::string& text);

// a == b without an early exit that depends on where they differ.
bool constant_time_equal(const std::string& a, const std::string& b);

}  // namespace jimu::web

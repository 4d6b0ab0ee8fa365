#include "engine/web/credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <vector>

namespace jimu::web {
namespace {

constexpr int kSaltBytes = 16;
constexpr int kHashBytes = 32;
constexpr const char* kScheme = "pbkdf2-sha256";

std::string to_hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 15];
  }
  return out;
}

bool from_hex(const std::string& hex, std::vector<unsigned char>* out) {
  if (hex.size() % 2 != 0) return false;
  out->clear();
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

bool pbkdf2(const std::string& password, const std::vector<unsigned char>& salt, int iterations,
            unsigned char* out, int out_len) {
  return PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                           static_cast<int>(salt.size()), iterations, EVP_sha256(), out_len,
                           out) == 1;
}

}  // namespace

Result<std::string> hash_password(const std::string& password, int iterations) {
  if (password.empty()) return Status::invalid("the password is empty");
  if (iterations < kMinPasswordIterations) {
    return Status::invalid("a password hash needs at least " +
                           std::to_string(kMinPasswordIterations) + " iterations");
  }
  std::vector<unsigned char> salt(kSaltBytes);
  if (RAND_bytes(salt.data(), kSaltBytes) != 1) {
    return Status::internal("OpenSSL cannot produce random bytes for a salt");
  }
  unsigned char hash[kHashBytes];
  if (!pbkdf2(password, salt, iterations, hash, kHashBytes)) {
    return Status::internal("OpenSSL PBKDF2 failed");
  }
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" +
         to_hex(salt.data(), salt.size()) + "$" + to_hex(hash, kHashBytes);
}

bool verify_password(const std::string& password, const std::string& encoded) {
  // scheme$iterations$salt$hash
  size_t a = encoded.find('$');
  size_t b = a == std::string::npos ? a : encoded.find('$', a + 1);
  size_t c = b == std::string::npos ? b : encoded.find('$', b + 1);
  if (c == std::string::npos || encoded.substr(0, a) != kScheme) return false;
  std::string iter_text = encoded.substr(a + 1, b - a - 1);
  char* end = nullptr;
  long iterations = std::strtol(iter_text.c_str(), &end, 10);
  if (iter_text.empty() || *end != '\0' || iterations < kMinPasswordIterations ||
      iterations > 100000000) {
    return false;
  }
  std::vector<unsigned char> salt, expected;
  if (!from_hex(encoded.substr(b + 1, c - b - 1), &salt) ||
      !from_hex(encoded.substr(c + 1), &expected) || expected.empty() ||
      expected.size() > 64) {
    return false;
  }
  std::vector<unsigned char> actual(expected.size());
  if (!pbkdf2(password, salt, static_cast<int>(iterations), actual.data(),
              static_cast<int>(actual.size()))) {
    return false;
  }
  return CRYPTO_memcmp(actual.data(), expected.data(), expected.size()) == 0;
}

Result<std::string> random_hex(int n_bytes) {
  std::vector<unsigned char> buf(static_cast<size_t>(n_bytes));
  if (RAND_bytes(buf.data(), n_bytes) != 1) {
    return Status::internal("OpenSSL cannot produce random bytes");
  }
  return to_hex(buf.data(), buf.size());
}

std::string sha256_hex(const std::string& text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  return to_hex(md, len);
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace jimu::web

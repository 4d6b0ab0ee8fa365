#include <catch2/catch.hpp>

#include "engine/web/credentials.h"
#include "engine/web/http.h"

using namespace jimu::web;

TEST_CASE("credentials: a password hash verifies its password and no other", "[web]") {
  auto h = hash_password("ﾊﾟｽﾜｰﾄﾞ①㈱髙～", 1000);
  REQUIRE(h);
  CHECK(h->rfind("pbkdf2-sha256$1000$", 0) == 0);
  CHECK(h->size() == std::string("pbkdf2-sha256$1000$").size() + 32 + 1 + 64);
  CHECK(verify_password("ﾊﾟｽﾜｰﾄﾞ①㈱髙～", *h));
  CHECK(!verify_password("ﾊﾟｽﾜｰﾄﾞ①㈱髙〜", *h));  // the wave dash is another character
  CHECK(!verify_password("", *h));
}

TEST_CASE("credentials: each hash has its own salt", "[web]") {
  auto a = hash_password("same-password", 1000), b = hash_password("same-password", 1000);
  CHECK(*a != *b);
  CHECK(verify_password("same-password", *a));
  CHECK(verify_password("same-password", *b));
}

TEST_CASE("credentials: the default iteration count is high", "[web]") {
  CHECK(kDefaultPasswordIterations >= 600000);
  auto h = hash_password("pass-word-1");
  REQUIRE(h);
  CHECK(h->rfind("pbkdf2-sha256$600000$", 0) == 0);
  CHECK(verify_password("pass-word-1", *h));
}

TEST_CASE("credentials: bad input is refused and malformed hashes never verify", "[web]") {
  CHECK(hash_password("", 1000).status().message() == "the password is empty");
  CHECK(hash_password("x", 10).status().message() ==
        "a password hash needs at least 1000 iterations");
  CHECK(hash_password("x", 10).status().code() == jimu::Code::kInvalid);
  for (const std::string bad :
       {"", "pbkdf2-sha256", "md5$1000$00$00", "pbkdf2-sha256$10$00$00",
        "pbkdf2-sha256$1000$zz$00", "pbkdf2-sha256$1000$00$", "pbkdf2-sha256$x$00$00"}) {
    INFO(bad);
    CHECK(!verify_password("x", bad));
  }
}

TEST_CASE("credentials: random secrets are hex of the asked length and differ", "[web]") {
  auto a = random_hex(32), b = random_hex(32);
  CHECK(a->size() == 64);
  CHECK(*a != *b);
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(constant_time_equal("abc", "abc"));
  CHECK(!constant_time_equal("abc", "abd"));
  CHECK(!constant_time_equal("abc", "ab"));
}

TEST_CASE("http: forms, cookies and escaping", "[web]") {
  auto f = parse_urlencoded("a=1&b=%E7%94%B0+x&c&=z");
  CHECK(f["a"] == "1");
  CHECK(f["b"] == "田 x");
  CHECK(f["c"] == "");
  CHECK(url_decode("%zz%4") == "%zz%4");
  auto c = parse_cookies("a=1; b=2;c=3; a=4");
  CHECK(c["a"] == "1");
  CHECK(c["c"] == "3");
  CHECK(escape_html("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

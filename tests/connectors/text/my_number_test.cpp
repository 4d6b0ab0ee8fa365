#include "connectors/text/my_number.h"

#include <catch2/catch.hpp>
#include <string>

using jimu::text::is_valid_my_number;
using jimu::text::mask_my_number;

namespace {

// The check digit as the 施行令 第八条 states it, written here independently of the code under
// test: weights 2..7 for the 1st..6th digit from the right of the first 11, 2..6 for the 7th..11th.
char check_digit(const std::string& eleven) {
  static const int kWeights[11] = {2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6};
  int sum = 0;
  for (int n = 0; n < 11; ++n) sum += (eleven[10 - n] - '0') * kWeights[n];
  int r = sum % 11;
  return static_cast<char>('0' + (r <= 1 ? 0 : 11 - r));
}

std::string valid(const std::string& eleven) { return eleven + check_digit(eleven); }

// The same first 11 digits with a wrong check digit.
std::string invalid(const std::string& eleven) {
  char c = check_digit(eleven);
  return eleven + static_cast<char>('0' + (c - '0' + 1) % 10);
}

std::string to_fullwidth_digits(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      out += "\xEF\xBC";
      out.push_back(static_cast<char>(0x90 + (c - '0')));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string grouped(const std::string& twelve, const std::string& sep) {
  return twelve.substr(0, 4) + sep + twelve.substr(4, 4) + sep + twelve.substr(8, 4);
}

std::string mask(const std::string& s, int expected_count) {
  int count = -1;
  std::string out = mask_my_number(s, &count);
  CHECK(count == expected_count);
  return out;
}

}  // namespace

TEST_CASE("my number: the check digit follows the official weights", "[text][my_number]") {
  // The remainder cases 0 and 1 both give check digit 0; find prefixes for each and others.
  int seen[10] = {};
  for (long i = 0; i < 3000; ++i) {
    std::string eleven = std::to_string(10000000000L + i * 7919);
    std::string twelve = valid(eleven);
    CHECK(jimu::text::my_number_check_digit(eleven) == twelve[11] - '0');
    CHECK(is_valid_my_number(twelve));
    CHECK_FALSE(is_valid_my_number(invalid(eleven)));
    ++seen[twelve[11] - '0'];
  }
  for (int d = 0; d < 10; ++d) CHECK(seen[d] > 0);
  CHECK(is_valid_my_number("123456789018"));  // the example every manual prints
  CHECK_FALSE(is_valid_my_number("12345678901"));
  CHECK_FALSE(is_valid_my_number("12345678901a"));
}

TEST_CASE("my number: a valid number in a log line is masked whole", "[text][my_number]") {
  std::string n = valid("31415926535");
  CHECK(mask("個人番号:" + n + " を照合", 1) == "個人番号:************ を照合");
  CHECK(mask(n, 1) == "************");
}

TEST_CASE("my number: a 12-digit number failing the check is left alone", "[text][my_number]") {
  std::string n = invalid("31415926535");
  CHECK(mask("受付番号:" + n, 0) == "受付番号:" + n);
}

TEST_CASE("my number: groups of four with one separator are masked", "[text][my_number]") {
  std::string n = valid("27182818284");
  CHECK(mask(grouped(n, " "), 1) == "**** **** ****");
  CHECK(mask("番号 " + grouped(n, "-") + " です", 1) == "番号 ****-****-**** です");
  CHECK(mask(grouped(n, "\u3000"), 1) == "****\u3000****\u3000****");
  CHECK(mask(grouped(n, "－"), 1) == "****－****－****");
  CHECK(mask(grouped(invalid("27182818284"), "-"), 0) == grouped(invalid("27182818284"), "-"));
}

TEST_CASE("my number: full-width digits are recognised and masked", "[text][my_number]") {
  std::string n = valid("16180339887");
  CHECK(mask("番号：" + to_fullwidth_digits(n), 1) == "番号：************");
  CHECK(mask(to_fullwidth_digits(grouped(n, "\u3000")), 1) == "****\u3000****\u3000****");
  std::string bad = to_fullwidth_digits(invalid("16180339887"));
  CHECK(mask(bad, 0) == bad);
}

TEST_CASE("my number: digits that go on are not an individual number", "[text][my_number]") {
  std::string n = valid("14142135623");
  CHECK(mask(n + "4", 0) == n + "4");  // 13 digits
  CHECK(mask("9" + n, 0) == "9" + n);
  // A card-like 4-4-4-4 whose first or last twelve digits pass the check stays.
  std::string card = grouped(n, "-") + "-1234";
  CHECK(mask(card, 0) == card);
  std::string card2 = "1234-" + grouped(n, "-");
  CHECK(mask(card2, 0) == card2);
  // Mixed separators are not the 4-4-4 form.
  std::string mixed = n.substr(0, 4) + "-" + n.substr(4, 4) + " " + n.substr(8, 4);
  CHECK(mask(mixed, 0) == mixed);
}

TEST_CASE("my number: several numbers in one line are all masked", "[text][my_number]") {
  std::string a = valid("11111111111");
  std::string b = valid("98765432109");
  CHECK(mask(a + "," + b + "," + invalid("22222222222"), 2) ==
        "************,************," + invalid("22222222222"));
}

TEST_CASE("my number: a line with other numbers and ill-formed bytes is kept",
          "[text][my_number]") {
  std::string line = "2024-04-01 金額 1,234,567円 TEL 03-1234-5678 \xFF\xFE";
  CHECK(mask(line, 0) == line);
  std::string n = valid("12121212121");
  CHECK(mask("\xFF" + n + "\xFE", 1) == "\xFF************\xFE");
  CHECK(mask("", 0) == "");
}

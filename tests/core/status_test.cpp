#include <catch2/catch.hpp>

#include "engine/core/status.h"

using jimu::Code;
using jimu::Result;
using jimu::Status;

TEST_CASE("status: code names are the stable API names workflows see", "[core]") {
  CHECK(std::string(jimu::code_name(Code::kNotFound)) == "not_found");
  CHECK(std::string(jimu::code_name(Code::kParse)) == "parse");
  CHECK(std::string(jimu::code_name(Code::kEncoding)) == "encoding");
  CHECK(std::string(jimu::code_name(Code::kDenied)) == "denied");
  CHECK(std::string(jimu::code_name(Code::kLimit)) == "limit");
}

TEST_CASE("status: an error carries its code and message and a prefix names the subject", "[core]") {
  Status s = Status::parse("unterminated quoted field").with_prefix("in/a.csv:3:7");
  CHECK_FALSE(s.is_ok());
  CHECK(s.code() == Code::kParse);
  CHECK(s.message() == "in/a.csv:3:7: unterminated quoted field");
  CHECK(s.to_string() == "parse: in/a.csv:3:7: unterminated quoted field");
  CHECK(Status::ok().to_string() == "ok");
}

TEST_CASE("result: holds a value or the status saying why not", "[core]") {
  Result<int> good = 42;
  Result<int> bad = Status::not_found("run 9 does not exist");
  REQUIRE(good.is_ok());
  CHECK(*good == 42);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.status().message() == "run 9 does not exist");
}

namespace {
Result<std::vector<std::string>> names() { return std::vector<std::string>{"元日", "成人の日"}; }
}  // namespace

TEST_CASE("result: iterating the value of a temporary result is safe", "[core]") {
  // Regression: operator* on a temporary returned a reference into it, which dangled in a
  // range-for (found in the calendar); it now moves the value out.
  std::vector<std::string> seen;
  for (const auto& n : *names()) seen.push_back(n);
  CHECK(seen == std::vector<std::string>{"元日", "成人の日"});
}

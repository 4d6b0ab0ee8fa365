#include <catch2/catch.hpp>

#include "engine/core/json_writer.h"

TEST_CASE("json: Japanese text stays readable UTF-8 and only what JSON requires is escaped", "[core]") {
  jimu::JsonWriter w;
  w.begin_object().field("name", "口座振替\"結果\"\n点検①㈱").field("n", int64_t{3}).end_object();
  CHECK(w.str() == "{\"name\":\"口座振替\\\"結果\\\"\\n点検①㈱\",\"n\":3}");
}

TEST_CASE("json: control characters are escaped as \\u00XX", "[core]") {
  jimu::JsonWriter w;
  w.value(std::string("a\x01" "b"));
  CHECK(w.str() == "\"a\\u0001b\"");
}

TEST_CASE("json: numbers are written shortest, integral doubles without exponent", "[core]") {
  jimu::JsonWriter w;
  w.begin_array().value(1000.0).value(0.1).value(205.75).value(-3.0).end_array();
  CHECK(w.str() == "[1000,0.1,205.75,-3]");
}

TEST_CASE("json: nested containers get commas in the right places", "[core]") {
  jimu::JsonWriter w;
  w.begin_object().key("a").begin_array().value(1).value(2).end_array().key("b").null()
      .key("c").begin_object().end_object().end_object();
  CHECK(w.str() == "{\"a\":[1,2],\"b\":null,\"c\":{}}");
}

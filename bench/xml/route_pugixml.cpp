// Benchmark (b): the plain C++ baseline for bench/xml. Loads the export with pugixml (DOM),
// walks /export/document, applies the same route rule as route_stream.lua and counts documents
// per route and per division. Usage: xml_route_pugixml EXPORT.xml
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <pugixml.hpp>
#include <string>

namespace {

const char* route(const char* category, long long amount, const char* division) {
  if (std::strcmp(category, "契約") == 0 && amount >= 10000000) return "副市長決裁";
  if (amount >= 1000000) return "部長決裁";
  if (std::strcmp(category, "許認可") == 0 || std::strcmp(category, "補助金") == 0 ||
      std::strcmp(category, "情報公開") == 0) {
    return "課長決裁";
  }
  if (std::strcmp(division, "総務課") == 0 || std::strcmp(division, "財政課") == 0) {
    return "課長決裁";
  }
  return "係長専決";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s EXPORT.xml\n", argv[0]);
    return 2;
  }
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_file(argv[1], pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    std::fprintf(stderr, "%s: %s at offset %td\n", argv[1], r.description(), r.offset);
    return 1;
  }
  std::map<std::string, long> by_route, by_division;
  long n = 0;
  for (pugi::xml_node d : doc.child("export").children("document")) {
    const char* category = d.child_value("category");
    const char* division = d.child_value("division");
    long long amount = std::atoll(d.child_value("amount"));
    ++by_route[route(category, amount, division)];
    ++by_division[division];
    ++n;
  }
  for (const auto& [k, v] : by_route) std::printf("route %s %ld\n", k.c_str(), v);
  for (const auto& [k, v] : by_division) std::printf("division %s %ld\n", k.c_str(), v);
  std::printf("documents %ld\n", n);
  return 0;
}

// Times the plain C++ CsvReader alone (no Lua) over a file: the floor under jimu.csv.rows.
//   csv_read_core FILE [auto|cp932|utf-8]
#include <chrono>
#include <cstdio>
#include <cstring>

#include "connectors/csv/csv_reader.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: csv_read_core FILE [auto|cp932|utf-8]\n");
    return 2;
  }
  jimu::csv::ReadOptions o;
  if (argc > 2 && std::strcmp(argv[2], "cp932") == 0) o.encoding = jimu::csv::Encoding::kCp932;
  if (argc > 2 && std::strcmp(argv[2], "utf-8") == 0) o.encoding = jimu::csv::Encoding::kUtf8;
  auto start = std::chrono::steady_clock::now();
  auto reader = jimu::csv::CsvReader::open(argv[1], argv[1], o);
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.status().message().c_str());
    return 1;
  }
  jimu::csv::Row row;
  long rows = 0, fields = 0;
  for (;;) {
    auto got = (*reader)->next(row);
    if (!got) {
      std::fprintf(stderr, "%s\n", got.status().message().c_str());
      return 1;
    }
    if (!*got) break;
    ++rows;
    fields += static_cast<long>(row.size());
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%ld rows, %ld fields in %.3f s (%s)\n", rows, fields, s,
              jimu::csv::encoding_name((*reader)->encoding()));
  return 0;
}

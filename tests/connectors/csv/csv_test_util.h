// Helpers for the CSV tests: read a whole file through CsvReader into plain vectors.
#pragma once

#include <string>
#include <vector>

#include "connectors/csv/csv_reader.h"

namespace jimu::testing {

struct ReadResult {
  std::vector<std::vector<std::string>> rows;
  std::vector<uint64_t> lines;  // the line each row starts on
  Status status;                // the error that ended the read, ok at a clean end
  csv::Encoding encoding = csv::Encoding::kAuto;
};

inline ReadResult read_csv(const std::string& path, csv::ReadOptions options = {},
                           const std::string& display = "in/a.csv") {
  ReadResult out;
  auto reader = csv::CsvReader::open(path, display, options);
  if (!reader) {
    out.status = reader.status();
    return out;
  }
  csv::Row row;
  for (;;) {
    auto got = (*reader)->next(row);
    if (!got) {
      out.status = got.status();
      break;
    }
    if (!*got) break;
    std::vector<std::string> fields;
    for (size_t i = 0; i < row.size(); ++i) fields.emplace_back(row[i]);
    out.rows.push_back(std::move(fields));
    out.lines.push_back(row.line());
  }
  out.encoding = (*reader)->encoding();
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

}  // namespace jimu::testing

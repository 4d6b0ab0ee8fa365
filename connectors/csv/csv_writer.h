// CsvWriter: writes a CSV file row by row, atomically.
//
// Rows are written to a temporary file beside the target (".NAME.tmp-PID-N") and renamed into
// place by commit(); a writer destroyed without commit() removes its temporary file, so a failed
// or abandoned write never leaves a half-written file nor clobbers an existing one.
// Fields are quoted only when they need it (delimiter, quote, CR or LF inside); quotes are doubled.
// Text comes in as UTF-8 and goes out as UTF-8 (optionally with a byte order mark) or CP932
// (glibc iconv). A character CP932 cannot hold is an error naming the row and column, unless a
// replacement was given: "out.csv:3:2: character U+2603 '☃' cannot be written in CP932".
// After a failed row the writer stays failed and commit() returns that error.
//
// Not thread-safe: one writer belongs to one thread. Plain C++ (no Lua).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/csv/csv_encoding.h"
#include "engine/core/status.h"

namespace jimu::csv {

struct WriteOptions {
  Encoding encoding = Encoding::kUtf8;  // kUtf8 or kCp932
  bool bom = true;                      // UTF-8 only: start with EF BB BF (Excel needs it)
  bool crlf = true;                     // line ending CRLF (true) or LF
  char delimiter = ',';
  std::optional<std::string> replacement;  // UTF-8 text put for characters CP932 lacks
};

class CsvWriter {
 public:
  // Creates the temporary file for path (creating missing folders); display names the file in
  // messages. invalid when the options are unusable (e.g. a replacement CP932 cannot hold).
  static Result<std::unique_ptr<CsvWriter>> create(const std::string& path,
                                                   const std::string& display,
                                                   const WriteOptions& options);
  ~CsvWriter();  // discards unless committed
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;

  // A row is add_field()... then end_row(). Fields are UTF-8.
  void add_field(const char* data, size_t size);
  void add_field(const std::string& s) { add_field(s.data(), s.size()); }
  Status end_row();

  // Flushes, syncs and renames the file into place. Idempotent once it succeeded.
  Status commit();
  // Removes the temporary file; nothing is left behind. Idempotent.
  void discard();

  uint64_t rows() const { return rows_; }  // rows written so far
  bool failed() const { return !failed_.is_ok(); }

 private:
  CsvWriter(int fd, std::string path, std::string tmp, std::string display,
            const WriteOptions& options);
  Status flush();
  Status encode_line();
  std::string where(size_t col) const;

  int fd_;
  std::string path_;
  std::string tmp_;
  std::string display_;
  WriteOptions options_;
  std::unique_ptr<Cp932Encoder> encoder_;
  std::string replacement_cp932_;
  std::string line_;                  // the row being built, UTF-8
  std::vector<size_t> field_starts_;  // where each field of line_ starts
  std::string out_;                   // encoded bytes waiting to be written
  uint64_t rows_ = 0;
  bool special_[256] = {};
  bool done_ = false;  // committed or discarded
  Status failed_;
};

// Appends a number as CSV text without exponent noise: integral values below 2^53 as integers
// ("12", "-3"), others in the shortest form that reads back the same ("0.1", "1234.5"),
// never in exponent form ("0.000001", "100000000000000000000").
void append_number(std::string& out, double value);

}  // namespace jimu::csv

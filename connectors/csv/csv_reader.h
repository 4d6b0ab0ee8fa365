// CsvReader: streams the rows of a CSV file (RFC 4180) without loading the file.
//
// The file is read in large chunks (1 MB by default), converted to UTF-8 chunk by chunk (CP932
// through glibc's mapping, UTF-8 checked; see csv_encoding.h), and only then parsed, so the
// parser sees UTF-8 alone and a CP932 trail byte can never be mistaken for a delimiter or quote.
// Quoted fields may hold delimiters, doubled quotes and line breaks (CRLF or LF); rows end at
// CRLF or LF (a lone CR is ordinary data).
//
// Errors name the file as the workflow wrote it and the physical line and column (1-based,
// column in characters): "in/a.csv:3:7: unterminated quoted field" (code parse), "invalid CP932
// bytes 0x81 0x20" (code encoding). After an error the reader stays failed.
//
// Not thread-safe: one reader belongs to one thread. Plain C++ (no Lua).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/csv/csv_encoding.h"
#include "engine/core/status.h"

namespace jimu::csv {

struct ReadOptions {
  // kAuto (default): a UTF-8 byte order mark means UTF-8; otherwise the first non-ASCII bytes
  // (up to 64 KB of them) decide: valid UTF-8 -> UTF-8, else valid CP932 -> CP932, else error.
  Encoding encoding = Encoding::kAuto;
  char delimiter = ',';          // ',' by default; '\t' for TSV
  bool skip_empty_lines = true;  // a line with nothing on it yields no row
  bool strict = false;           // every row must have expected_fields fields
  size_t expected_fields = 0;    // strict: 0 means the first row's count
  size_t chunk_size = 1 << 20;   // bytes per read (tests use tiny chunks to cut sequences)
};

// One row: its fields as views into the row's own storage (valid until the next read).
class Row {
 public:
  size_t size() const { return ends_.size(); }
  std::string_view operator[](size_t i) const {
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(data_).substr(begin, ends_[i] - begin);
  }
  const char* field_data(size_t i) const { return data_.data() + (i == 0 ? 0 : ends_[i - 1]); }
  size_t field_size(size_t i) const { return ends_[i] - (i == 0 ? 0 : ends_[i - 1]); }
  uint64_t line() const { return line_; }  // the physical line the row starts on

 private:
  friend class CsvReader;
  std::string data_;          // the unescaped fields, back to back
  std::vector<size_t> ends_;  // the end offset of each field in data_
  uint64_t line_ = 0;
};

class CsvReader {
 public:
  // Opens path; display is how messages name it. not_found when it does not exist; io when it
  // cannot be read. Reads nothing yet.
  static Result<std::unique_ptr<CsvReader>> open(const std::string& path,
                                                 const std::string& display,
                                                 const ReadOptions& options);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next row into row: true with a row, false at the end of the file, or the error.
  Result<bool> next(Row& row);

  // The encoding in use: the declared one, or the detected one once known (kAuto until then,
  // and at the end of a file with no non-ASCII byte).
  Encoding encoding() const { return encoding_; }
  const std::string& display() const { return display_; }

 private:
  CsvReader(int fd, std::string display, const ReadOptions& options);

  Status read_more(size_t at_least);       // appends to raw_ until it holds at_least bytes or EOF
  Status fill();                           // makes the next decoded span current; empty at the end
  Status decide_encoding();                // kAuto: looks at the first non-ASCII bytes
  void encoding_error(size_t bad_offset);  // sets pending_ for the bytes at raw_[bad_offset]
  uint64_t col_at(uint64_t abs) const;
  std::string where(uint64_t line, uint64_t col) const;
  Status finish_row(Row& row, bool* emitted);

  int fd_;
  std::string display_;
  ReadOptions options_;
  Encoding encoding_;
  bool neither_ = false;   // kAuto found neither UTF-8 nor CP932: decoding as CP932 to the error
  bool detected_ = false;  // kAuto decided (messages say so)
  bool eof_ = false;
  bool started_ = false;  // the byte order mark was looked at
  Status failed_;         // sticky error
  Status pending_;        // an encoding error just after the current span

  std::vector<char> raw_;  // bytes read, [raw_pos_, raw_len_) not yet decoded
  size_t raw_pos_ = 0;
  size_t raw_len_ = 0;
  std::vector<char> decoded_;  // CP932 converted to UTF-8

  // The current span of UTF-8 text and where it starts in the whole decoded text.
  const char* span_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  uint64_t span_abs_ = 0;

  // Parser state, kept between spans.
  enum class State { kStartField, kUnquoted, kQuoted, kQuoteInQuoted, kCr };
  State state_ = State::kStartField;
  bool cr_after_quote_ = false;
  bool in_row_ = false;
  bool row_quoted_ = false;
  uint64_t line_ = 1;
  uint64_t line_start_abs_ = 0;
  uint64_t col_base_ = 0;  // characters of the current line before span_abs_
  uint64_t quote_line_ = 0;
  uint64_t quote_abs_ = 0;
  uint64_t quote_col_ = 0;  // 0 until computed
  size_t first_row_fields_ = 0;
  bool special_[256] = {};      // delimiter, quote, CR, LF: where an unquoted field stops
  bool quote_or_lf_[256] = {};  // where a quoted field's scan stops
};

}  // namespace jimu::csv

#include "connectors/csv/csv_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace jimu::csv {
namespace {

constexpr size_t kDetectWindow = 64 * 1024;

Status open_error(const std::string& display, int err) {
  if (err == ENOENT || err == ENOTDIR) return Status::not_found(display + ": no such file");
  if (err == EACCES || err == EPERM) return Status::io(display + ": permission denied");
  return Status::io(display + ": " + std::strerror(err));
}

bool is_cp932_lead(unsigned char b) { return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC); }

// How many bytes at s to show for an invalid UTF-8 sequence: a lead byte with the continuation
// bytes that follow it and the byte that broke it; a stray byte alone.
size_t bad_utf8_length(const unsigned char* s, size_t left) {
  if (left == 0) return 0;
  if (s[0] < 0xC2 || s[0] > 0xF4) return 1;
  size_t n = 1;
  while (n < left && n < 4 && (s[n] & 0xC0) == 0x80) ++n;
  if (n < left && n < 4) ++n;
  return n;
}

// SWAR: a word with 0x80 set in each byte of w that is zero.
inline uint64_t zero_bytes(uint64_t w) {
  return (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
}
inline uint64_t broadcast(unsigned char c) { return 0x0101010101010101ull * c; }

// The first byte in [p, end) that is a, b, c or d, or end; eight bytes at a time.
inline const char* find_any4(const char* p, const char* end, uint64_t a, uint64_t b, uint64_t c,
                             uint64_t d, const bool* special) {
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if (zero_bytes(w ^ a) | zero_bytes(w ^ b) | zero_bytes(w ^ c) | zero_bytes(w ^ d)) break;
    p += 8;
  }
  while (p < end && !special[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::open(const std::string& path,
                                                   const std::string& display,
                                                   const ReadOptions& options) {
  char d = options.delimiter;
  if (d == '"' || d == '\r' || d == '\n' || (static_cast<unsigned char>(d) & 0x80)) {
    return Status::invalid(display +
                           ": the delimiter must be an ASCII character other than a "
                           "quote or a line break");
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return open_error(display, errno);
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::io(display + ": is a folder, not a file");
  }
  return std::unique_ptr<CsvReader>(new CsvReader(fd, display, options));
}

CsvReader::CsvReader(int fd, std::string display, const ReadOptions& options)
    : fd_(fd), display_(std::move(display)), options_(options), encoding_(options.encoding) {
  if (options_.chunk_size == 0) options_.chunk_size = 1;
  special_[static_cast<unsigned char>(options_.delimiter)] = true;
  special_['"'] = true;
  special_['\r'] = true;
  special_['\n'] = true;
  quote_or_lf_['"'] = true;
  quote_or_lf_['\n'] = true;
}

CsvReader::~CsvReader() { ::close(fd_); }

std::string CsvReader::where(uint64_t line, uint64_t col) const {
  return display_ + ":" + std::to_string(line) + ":" + std::to_string(col) + ": ";
}

uint64_t CsvReader::col_at(uint64_t abs) const {
  uint64_t base = line_start_abs_ >= span_abs_ ? 0 : col_base_;
  uint64_t from = std::max(line_start_abs_, span_abs_);
  if (abs < from) return base + 1;
  return base + count_utf8_chars(span_ + (from - span_abs_), abs - from) + 1;
}

Status CsvReader::read_more(size_t more) {
  if (raw_pos_ > 0) {
    std::memmove(raw_.data(), raw_.data() + raw_pos_, raw_len_ - raw_pos_);
    raw_len_ -= raw_pos_;
    raw_pos_ = 0;
  }
  size_t want = raw_len_ + more;
  if (raw_.size() < want) raw_.resize(want);
  while (!eof_ && raw_len_ < want) {
    ssize_t n = ::read(fd_, raw_.data() + raw_len_, want - raw_len_);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::io(display_ + ": cannot read: " + std::strerror(errno));
    }
    if (n == 0) {
      eof_ = true;
      break;
    }
    raw_len_ += static_cast<size_t>(n);
  }
  return Status::ok();
}

Status CsvReader::decide_encoding() {
  const auto* s = reinterpret_cast<const unsigned char*>(raw_.data());
  size_t k = raw_pos_;
  while (k < raw_len_ && s[k] < 0x80) ++k;
  if (k == raw_len_) return Status::ok();  // ASCII so far: both encodings agree
  size_t offset = k - raw_pos_;
  if (raw_len_ - k < kDetectWindow && !eof_) {
    Status st = read_more(kDetectWindow);
    if (!st) return st;
  }
  const char* window = raw_.data() + raw_pos_ + offset;
  size_t len = raw_len_ - raw_pos_ - offset;
  Utf8Check u = check_utf8(window, len);
  if (u.valid == len || (u.incomplete && !eof_)) {
    encoding_ = Encoding::kUtf8;
  } else {
    std::vector<char> scratch(3 * len + 8);
    DecodeStep step = decode_cp932(window, len, scratch.data());
    encoding_ = Encoding::kCp932;
    neither_ = step.invalid;
  }
  detected_ = true;
  return Status::ok();
}

void CsvReader::encoding_error(size_t bad) {
  const char* b = raw_.data() + bad;
  size_t left = raw_len_ - bad;
  const auto* u = reinterpret_cast<const unsigned char*>(b);
  std::string what;
  if (encoding_ == Encoding::kCp932) {
    size_t n = std::min<size_t>(left, is_cp932_lead(u[0]) ? 2 : 1);
    if (neither_) {
      what = "invalid bytes " + hex_bytes(b, n) + " (the file is neither UTF-8 nor CP932)";
    } else {
      what = "invalid CP932 bytes " + hex_bytes(b, n) +
             (detected_ ? " (the encoding was detected as CP932 from earlier bytes)" : "");
    }
  } else {
    what = "invalid UTF-8 bytes " + hex_bytes(b, bad_utf8_length(u, left)) +
           (detected_ ? " (the encoding was detected as UTF-8 from earlier bytes)" : "");
  }
  pending_ = Status::encoding(what);
}

Status CsvReader::fill() {
  if (span_ != nullptr) {
    // Leaving this span: keep what columns need from it.
    if ((state_ == State::kQuoted || state_ == State::kQuoteInQuoted) && quote_col_ == 0) {
      quote_col_ = col_at(quote_abs_);
    }
    uint64_t end_abs = span_abs_ + static_cast<uint64_t>(end_ - span_);
    col_base_ = col_at(end_abs) - 1;
    span_abs_ = end_abs;
  }
  span_ = p_ = end_ = "";
  if (!pending_.is_ok()) {
    return Status::encoding(where(line_, col_at(span_abs_)) + pending_.message());
  }
  if (!started_) {
    started_ = true;
    Status st = read_more(std::max<size_t>(options_.chunk_size, 3));
    if (!st) return st;
    if (raw_len_ >= 3 && std::memcmp(raw_.data(), "\xEF\xBB\xBF", 3) == 0) {
      if (encoding_ == Encoding::kCp932) {
        return Status::encoding(where(1, 1) +
                                "the file starts with a UTF-8 byte order mark, but the "
                                "encoding was given as cp932");
      }
      raw_pos_ = 3;
      if (encoding_ == Encoding::kAuto) {
        encoding_ = Encoding::kUtf8;
        detected_ = true;
      }
    }
  }
  bool starved = false;  // only a cut sequence is left: must read more whatever is buffered
  for (;;) {
    if ((starved || raw_len_ - raw_pos_ < options_.chunk_size) && !eof_) {
      Status st = read_more(options_.chunk_size);
      if (!st) return st;
    }
    if (encoding_ == Encoding::kAuto) {
      Status st = decide_encoding();
      if (!st) return st;
    }
    const char* in = raw_.data() + raw_pos_;
    size_t n = raw_len_ - raw_pos_;
    if (n == 0) return Status::ok();      // the end
    if (encoding_ != Encoding::kCp932) {  // UTF-8, or ASCII while undecided: parsed in place
      Utf8Check u = check_utf8(in, n);
      span_ = p_ = in;
      end_ = in + u.valid;
      raw_pos_ += u.valid;
      if (u.valid < n && !(u.incomplete && !eof_)) encoding_error(raw_pos_);
    } else {
      if (decoded_.size() < 3 * n + 8) decoded_.resize(3 * n + 8);
      DecodeStep step = decode_cp932(in, n, decoded_.data());
      span_ = p_ = decoded_.data();
      end_ = span_ + step.produced;
      raw_pos_ += step.consumed;
      if (step.invalid || (step.consumed < n && eof_)) encoding_error(raw_pos_);
    }
    if (end_ != span_) return Status::ok();
    if (!pending_.is_ok()) {  // the bad bytes come first: nothing to parse before them
      return Status::encoding(where(line_, col_at(span_abs_)) + pending_.message());
    }
    starved = true;
  }
}

Status CsvReader::finish_row(Row& row, bool* emitted) {
  *emitted = false;
  in_row_ = false;
  state_ = State::kStartField;
  if (options_.skip_empty_lines && row.ends_.size() == 1 && row.data_.empty() && !row_quoted_) {
    row.ends_.clear();
    return Status::ok();
  }
  if (options_.strict) {
    size_t expected = options_.expected_fields;
    if (expected == 0) {
      if (first_row_fields_ == 0) first_row_fields_ = row.ends_.size();
      expected = first_row_fields_;
    }
    if (row.ends_.size() != expected) {
      return Status::parse(where(row.line_, 1) + "row has " + std::to_string(row.ends_.size()) +
                           " fields, expected " + std::to_string(expected));
    }
  }
  *emitted = true;
  return Status::ok();
}

Result<bool> CsvReader::next(Row& row) {
  if (!failed_.is_ok()) return failed_;
  row.data_.clear();
  row.ends_.clear();
  const char delim = options_.delimiter;
  const uint64_t kDelim = broadcast(static_cast<unsigned char>(delim));
  const uint64_t kQuote = broadcast('"');
  const uint64_t kCr = broadcast('\r');
  const uint64_t kLf = broadcast('\n');
  auto fail = [&](Status s) -> Result<bool> {
    failed_ = s;
    return s;
  };
  for (;;) {
    if (p_ == end_) {
      Status st = fill();
      if (!st) return fail(st);
      if (p_ == end_) {  // the end of the file
        if (state_ == State::kQuoted) {
          return fail(Status::parse(where(quote_line_, quote_col_) + "unterminated quoted field"));
        }
        if (!in_row_) return false;
        // A CR at the very end (kCr) ends the line like CRLF would.
        row.ends_.push_back(row.data_.size());
        bool emitted = false;
        st = finish_row(row, &emitted);
        if (!st) return fail(st);
        if (emitted) return true;
        return false;
      }
    }
    const char* p = p_;
    const char* end = end_;
    bool row_done = false;
    switch (state_) {
      case State::kStartField:
        if (!in_row_) {
          in_row_ = true;
          row_quoted_ = false;
          row.line_ = line_;
        }
        if (*p == '"') {
          state_ = State::kQuoted;
          row_quoted_ = true;
          quote_line_ = line_;
          quote_abs_ = span_abs_ + static_cast<uint64_t>(p - span_);
          quote_col_ = 0;
          ++p;
          break;
        }
        state_ = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted: {
        const char* s = p;
        p = find_any4(p, end, kDelim, kQuote, kCr, kLf, special_);
        row.data_.append(s, static_cast<size_t>(p - s));
        if (p == end) break;
        char c = *p;
        if (c == delim) {
          row.ends_.push_back(row.data_.size());
          state_ = State::kStartField;
          ++p;
        } else if (c == '\n') {
          ++p;
          row_done = true;
        } else if (c == '\r') {
          cr_after_quote_ = false;
          state_ = State::kCr;
          ++p;
        } else {  // a quote
          p_ = p;
          return fail(Status::parse(where(line_, col_at(span_abs_ + (p - span_))) +
                                    "stray quote in an unquoted field (a field with quotes must be "
                                    "quoted as a whole, with its quotes doubled)"));
        }
        break;
      }
      case State::kQuoted: {
        const char* s = p;
        for (;;) {
          p = find_any4(p, end, kQuote, kQuote, kLf, kLf, quote_or_lf_);
          if (p == end || *p == '"') break;
          if (quote_col_ == 0) quote_col_ = col_at(quote_abs_);
          ++p;
          ++line_;
          line_start_abs_ = span_abs_ + static_cast<uint64_t>(p - span_);
        }
        row.data_.append(s, static_cast<size_t>(p - s));
        if (p == end) break;
        ++p;
        state_ = State::kQuoteInQuoted;
        break;
      }
      case State::kQuoteInQuoted: {
        char c = *p;
        if (c == '"') {
          row.data_.push_back('"');
          state_ = State::kQuoted;
          ++p;
        } else if (c == delim) {
          row.ends_.push_back(row.data_.size());
          state_ = State::kStartField;
          ++p;
        } else if (c == '\n') {
          ++p;
          row_done = true;
        } else if (c == '\r') {
          cr_after_quote_ = true;
          state_ = State::kCr;
          ++p;
        } else {
          p_ = p;
          return fail(Status::parse(where(line_, col_at(span_abs_ + (p - span_))) +
                                    "unexpected text after the closing quote of a field"));
        }
        break;
      }
      case State::kCr: {
        char c = *p;
        if (c == '\n') {
          ++p;
          row_done = true;
        } else if (cr_after_quote_) {
          p_ = p;
          return fail(Status::parse(where(line_, col_at(span_abs_ + (p - span_))) +
                                    "unexpected text after the closing quote of a field"));
        } else {
          row.data_.push_back('\r');  // a lone CR is data
          state_ = State::kUnquoted;
        }
        break;
      }
    }
    p_ = p;
    if (row_done) {
      ++line_;
      line_start_abs_ = span_abs_ + static_cast<uint64_t>(p - span_);
      row.ends_.push_back(row.data_.size());
      bool emitted = false;
      Status st = finish_row(row, &emitted);
      if (!st) return fail(st);
      if (emitted) return true;
    }
  }
}

}  // namespace jimu::csv

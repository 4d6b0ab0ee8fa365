#include "connectors/csv/csv_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace jimu::csv {
namespace {

constexpr size_t kFlushAt = 1 << 20;

Status errno_status(const std::string& display, int err) {
  if (err == ENOENT) return Status::not_found(display + ": no such folder");
  if (err == EACCES || err == EPERM) return Status::io(display + ": permission denied");
  return Status::io(display + ": " + std::strerror(err));
}

bool all_ascii(const char* s, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080ull) return false;
  }
  for (; i < n; ++i) {
    if (static_cast<unsigned char>(s[i]) & 0x80) return false;
  }
  return true;
}

std::string describe_char(const char* s, size_t n) {
  size_t len = 0;
  uint32_t cp = decode_utf8(s, n, &len);
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", cp);
  return std::string("character ") + buf + " '" + std::string(s, len) + "'";
}

}  // namespace

Result<std::unique_ptr<CsvWriter>> CsvWriter::create(const std::string& path,
                                                     const std::string& display,
                                                     const WriteOptions& options) {
  if (options.encoding == Encoding::kAuto) {
    return Status::invalid(display + ": give the encoding to write (utf-8 or cp932)");
  }
  char d = options.delimiter;
  if (d == '"' || d == '\r' || d == '\n' || (static_cast<unsigned char>(d) & 0x80)) {
    return Status::invalid(display +
                           ": the delimiter must be an ASCII character other than a "
                           "quote or a line break");
  }
  std::string replacement_cp932;
  if (options.encoding == Encoding::kCp932 && options.replacement) {
    Cp932Encoder enc;
    const std::string& r = *options.replacement;
    if (enc.encode(r.data(), r.size(), replacement_cp932).outcome != Cp932Encoder::Outcome::kOk) {
      return Status::invalid(display + ": the replacement '" + r + "' cannot be written in CP932");
    }
  }
  namespace fs = std::filesystem;
  fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  static std::atomic<unsigned> counter{0};
  std::string tmp =
      (target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                               std::to_string(::getpid()) + "-" + std::to_string(counter++)))
          .string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status(display, errno);
  auto w = std::unique_ptr<CsvWriter>(new CsvWriter(fd, path, tmp, display, options));
  w->replacement_cp932_ = std::move(replacement_cp932);
  return w;
}

CsvWriter::CsvWriter(int fd, std::string path, std::string tmp, std::string display,
                     const WriteOptions& options)
    : fd_(fd),
      path_(std::move(path)),
      tmp_(std::move(tmp)),
      display_(std::move(display)),
      options_(options) {
  if (options_.encoding == Encoding::kCp932) encoder_ = std::make_unique<Cp932Encoder>();
  special_[static_cast<unsigned char>(options_.delimiter)] = true;
  special_['"'] = true;
  special_['\r'] = true;
  special_['\n'] = true;
  if (options_.encoding == Encoding::kUtf8 && options_.bom) out_ = "\xEF\xBB\xBF";
}

CsvWriter::~CsvWriter() { discard(); }

std::string CsvWriter::where(size_t col) const {
  return display_ + ":" + std::to_string(rows_ + 1) + ":" + std::to_string(col) + ": ";
}

void CsvWriter::add_field(const char* data, size_t size) {
  if (!field_starts_.empty()) line_.push_back(options_.delimiter);
  field_starts_.push_back(line_.size());
  bool quote = false;
  for (size_t i = 0; i < size; ++i) {
    if (special_[static_cast<unsigned char>(data[i])]) {
      quote = true;
      break;
    }
  }
  if (!quote) {
    line_.append(data, size);
    return;
  }
  line_.push_back('"');
  const char* s = data;
  const char* end = data + size;
  while (s < end) {
    const char* q = static_cast<const char*>(std::memchr(s, '"', static_cast<size_t>(end - s)));
    if (q == nullptr) {
      line_.append(s, static_cast<size_t>(end - s));
      break;
    }
    line_.append(s, static_cast<size_t>(q - s + 1));
    line_.push_back('"');
    s = q + 1;
  }
  line_.push_back('"');
}

Status CsvWriter::encode_line() {
  const char* s = line_.data();
  size_t n = line_.size();
  auto column_of = [&](size_t offset) {
    auto it = std::upper_bound(field_starts_.begin(), field_starts_.end(), offset);
    return static_cast<size_t>(it - field_starts_.begin());
  };
  if (all_ascii(s, n)) {
    out_.append(s, n);
    return Status::ok();
  }
  if (!encoder_) {
    Utf8Check u = check_utf8(s, n);
    if (u.valid != n) {
      return Status::encoding(where(column_of(u.valid)) + "invalid UTF-8 bytes " +
                              hex_bytes(s + u.valid, 1) + " in the text to write");
    }
    out_.append(s, n);
    return Status::ok();
  }
  size_t pos = 0;
  while (pos < n) {
    Cp932Encoder::Step step = encoder_->encode(s + pos, n - pos, out_);
    pos += step.consumed;
    if (step.outcome == Cp932Encoder::Outcome::kOk) break;
    if (step.outcome == Cp932Encoder::Outcome::kInvalidUtf8) {
      return Status::encoding(where(column_of(pos)) + "invalid UTF-8 bytes " +
                              hex_bytes(s + pos, 1) + " in the text to write");
    }
    if (!options_.replacement) {
      return Status::encoding(where(column_of(pos)) + describe_char(s + pos, n - pos) +
                              " cannot be written in CP932");
    }
    size_t len = 0;
    decode_utf8(s + pos, n - pos, &len);
    out_ += replacement_cp932_;
    pos += len;
  }
  return Status::ok();
}

Status CsvWriter::end_row() {
  if (!failed_.is_ok() || done_) {  // drop the fields added for this row
    line_.clear();
    field_starts_.clear();
    return failed_.is_ok() ? Status::invalid(display_ + ": the writer is closed") : failed_;
  }
  if (field_starts_.empty()) field_starts_.push_back(0);  // an empty row is one empty field
  line_.append(options_.crlf ? "\r\n" : "\n");
  size_t mark = out_.size();
  Status st = encode_line();
  line_.clear();
  field_starts_.clear();
  if (!st) {
    out_.resize(mark);
    failed_ = st;
    return st;
  }
  ++rows_;
  if (out_.size() >= kFlushAt) {
    st = flush();
    if (!st) failed_ = st;
  }
  return st;
}

Status CsvWriter::flush() {
  size_t done = 0;
  while (done < out_.size()) {
    ssize_t n = ::write(fd_, out_.data() + done, out_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      out_.clear();
      return errno_status(display_, errno);
    }
    done += static_cast<size_t>(n);
  }
  out_.clear();
  return Status::ok();
}

Status CsvWriter::commit() {
  if (!failed_.is_ok()) {
    discard();
    return failed_;
  }
  if (done_) return Status::ok();
  Status st = flush();
  if (st && ::fsync(fd_) != 0) st = errno_status(display_, errno);
  if (::close(fd_) != 0 && st) st = errno_status(display_, errno);
  fd_ = -1;
  if (st && ::rename(tmp_.c_str(), path_.c_str()) != 0) st = errno_status(display_, errno);
  if (!st) {
    failed_ = st;
    discard();
    return st;
  }
  done_ = true;
  return st;
}

void CsvWriter::discard() {
  if (done_) return;
  done_ = true;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_.c_str());
}

void append_number(std::string& out, double value) {
  char buf[64];
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {
    std::snprintf(buf, sizeof buf, "%.0f", value);
    out += buf;
    return;
  }
  if (!std::isfinite(value)) {
    out += std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
    return;
  }
  // The shortest digits that read back as the same double.
  int precision = 1;
  for (; precision < 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
  // buf is "-d.ddde+XX": lay the digits out in fixed notation.
  std::string s(buf);
  bool negative = s[0] == '-';
  if (negative) s.erase(0, 1);
  size_t e = s.find('e');
  int exponent = std::atoi(s.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (s[i] != '.') digits.push_back(s[i]);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string text;
  int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    text = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (static_cast<size_t>(point) >= digits.size()) {
    text = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    text = digits.substr(0, static_cast<size_t>(point)) + "." +
           digits.substr(static_cast<size_t>(point));
  }
  if (negative) out.push_back('-');
  out += text;
}

}  // namespace jimu::csv

#include "connectors/xml/xml_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

#include "connectors/xml/xml_encoding.h"
#include "connectors/xml/xml_pugi.h"
#include "connectors/xml/xml_scanner.h"

namespace jimu::xml {
namespace {

// Owns a file descriptor (a Lua error raised from the sink may unwind through here).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

bool name_char(unsigned char c, bool first) {
  if (c >= 0x80 || std::isalpha(c) || c == '_' || c == ':') return true;
  return !first && (std::isdigit(c) || c == '-' || c == '.');
}

// Where the decoded text of path reaches offset: the file is decoded again from its start.
// Errors are rare, so the stream does not count lines as it goes (that cost 7% of its time).
TextPos position_of(const std::string& path, const DetectedEncoding& detected, size_t offset) {
  TextPos pos;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  auto decoder = Utf8Decoder::create(detected);
  if (fd.get() < 0 || !decoder) return pos;
  std::string raw(1u << 20, '\0');
  std::string text;
  size_t skip = detected.bom_length;
  size_t counted = 0;
  while (counted < offset) {
    ssize_t n = ::read(fd.get(), raw.data(), raw.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    size_t from = std::min(skip, static_cast<size_t>(n));
    skip -= from;
    text.clear();
    Status s = (*decoder)->decode(raw.data() + from, static_cast<size_t>(n) - from, n == 0, text);
    size_t take = std::min(text.size(), offset - counted);
    advance(pos, text.data(), take);
    counted += take;
    if (n == 0 || !s) break;
  }
  return pos;
}

}  // namespace

Result<std::vector<std::string>> parse_record_path(std::string_view record_path) {
  auto bad = [&] {
    return Status::invalid("record path '" + std::string(record_path) +
                           "' is not supported: use an absolute path of element names such as "
                           "/export/document (a step may be *)");
  };
  if (record_path.size() < 2 || record_path[0] != '/') return bad();
  std::vector<std::string> names;
  size_t i = 1;
  while (i <= record_path.size()) {
    size_t slash = record_path.find('/', i);
    if (slash == std::string_view::npos) slash = record_path.size();
    std::string_view step = record_path.substr(i, slash - i);
    if (step.empty()) return bad();
    if (step != "*") {
      for (size_t k = 0; k < step.size(); ++k) {
        if (!name_char(static_cast<unsigned char>(step[k]), k == 0)) return bad();
      }
    }
    names.emplace_back(step);
    i = slash + 1;
  }
  return names;
}

Result<size_t> each_record(const std::string& path, const std::string& display,
                           const std::vector<std::string>& record_path, RecordSink& sink,
                           const StreamOptions& options) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) return Status::not_found(display + ": no such file");
    if (err == EACCES || err == EPERM) return Status::io(display + ": permission denied");
    return Status::io(display + ": " + std::strerror(err));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return Status::io(display + ": is a folder, not a file");
  }

  std::string raw(options.read_size, '\0');
  auto read_some = [&](size_t* got) -> Status {
    for (;;) {
      ssize_t n = ::read(fd.get(), raw.data(), options.read_size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::io(display + ": " + std::strerror(errno));
      *got = static_cast<size_t>(n);
      return Status::ok();
    }
  };

  size_t got = 0;
  Status s = read_some(&got);
  if (!s) return s;
  // The declaration must be seen whole to detect the encoding: read at least 512 bytes first.
  std::string head(raw.data(), got);
  while (got > 0 && head.size() < 512) {
    s = read_some(&got);
    if (!s) return s;
    head.append(raw.data(), got);
  }
  if (head.size() > raw.size()) raw.resize(head.size());
  std::memcpy(raw.data(), head.data(), head.size());
  got = head.size();
  auto detected =
      choose_encoding(std::string_view(head).substr(0, 512), display, options.read.encoding);
  if (!detected) return detected.status();
  auto decoder = Utf8Decoder::create(*detected);
  if (!decoder) return decoder.status();

  std::string buf;       // decoded UTF-8 text from discarded on
  size_t discarded = 0;  // decoded bytes dropped before buf[0]
  bool eof = false;
  Status pending;  // a decoding error at the end of buf, reported once buf is used up
  auto locate = [&](size_t offset) {
    return where(display, position_of(path, *detected, discarded + offset));
  };
  // Decodes what read_some() got into buf.
  auto feed = [&](size_t skip) {
    Status d = (*decoder)->decode(raw.data() + skip, got - skip, got == 0, buf);
    if (got == 0) eof = true;
    if (!d) {
      pending = Status::error(d.code(), locate(buf.size()) + ": " + d.message());
      eof = true;
    }
  };
  feed(detected->bom_length < got ? detected->bom_length : got);

  XmlScanner scanner(record_path);
  pugi::xml_document record_doc;
  std::string scratch;
  size_t count = 0;
  for (;;) {
    switch (scanner.next(buf, eof)) {
      case XmlScanner::Step::kRecord: {
        size_t begin = scanner.record_begin();
        size_t length = scanner.record_end() - begin;
        scratch.assign(buf, begin, length);
        pugi::xml_parse_result r = record_doc.load_buffer_inplace(
            scratch.data(), scratch.size(), detail::kParseFlags, pugi::encoding_utf8);
        if (!r) {
          return Status::parse(locate(begin + static_cast<size_t>(r.offset)) + ": " +
                               detail::status_message(r.status));
        }
        if (options.flat) {
          detail::emit_flat(record_doc.document_element(), sink);
        } else {
          detail::emit_element(record_doc.document_element(), sink);
        }
        ++count;
        if (!sink.record_done()) return count;
        break;
      }
      case XmlScanner::Step::kNeedMore: {
        if (!pending.is_ok()) return pending;
        size_t keep = scanner.keep_from();
        if (keep > 0) {
          discarded += keep;
          buf.erase(0, keep);
          scanner.discard(keep);
        }
        if (buf.size() > options.max_record_bytes) {
          return Status::limit(locate(scanner.keep_from()) + ": a record larger than " +
                               std::to_string(options.max_record_bytes >> 20) +
                               " MB: is the record path right?");
        }
        s = read_some(&got);
        if (!s) return s;
        feed(0);
        break;
      }
      case XmlScanner::Step::kDone:
        if (!pending.is_ok()) return pending;
        return count;
      case XmlScanner::Step::kError:
        if (!pending.is_ok() && scanner.error_offset() >= buf.size()) return pending;
        return Status::parse(locate(scanner.error_offset()) + ": " + scanner.error_message());
    }
  }
}

}  // namespace jimu::xml

#include "connectors/xml/xml_document.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "connectors/xml/xml_encoding.h"
#include "connectors/xml/xml_pugi.h"
#include "connectors/xml/xml_scanner.h"

namespace jimu::xml {

struct XmlDocument::Impl {
  std::string text;  // the UTF-8 text pugixml parsed in place; the DOM points into it
  pugi::xml_document doc;
};

XmlDocument::XmlDocument(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XmlDocument::~XmlDocument() = default;

namespace {

Status errno_status(const std::string& display, int err) {
  if (err == ENOENT || err == ENOTDIR) return Status::not_found(display + ": no such file");
  if (err == EACCES || err == EPERM) return Status::io(display + ": permission denied");
  return Status::io(display + ": " + std::strerror(err));
}

// The first well-formedness error in text, as "display:L:C: message", or ok. Checks with the
// scanner and with pugixml and reports whichever error comes first in the text.
Status diagnose(const std::string& text, const std::string& display) {
  XmlScanner scanner;
  size_t error_at = text.size() + 1;
  std::string message;
  if (scanner.next(text, true) == XmlScanner::Step::kError) {
    error_at = scanner.error_offset();
    message = scanner.error_message();
  }
  pugi::xml_document doc;
  pugi::xml_parse_result r =
      doc.load_buffer(text.data(), text.size(), detail::kParseFlags, pugi::encoding_utf8);
  if (!r && static_cast<size_t>(r.offset) < error_at &&
      r.status != pugi::status_end_element_mismatch) {
    error_at = static_cast<size_t>(r.offset);
    message = detail::status_message(r.status);
  }
  if (message.empty()) return Status::ok();
  if (error_at > text.size()) error_at = text.size();
  TextPos pos;
  advance(pos, text.data(), error_at);
  return Status::parse(where(display, pos) + ": " + message);
}

// Parses UTF-8 text; source() gives the same text again when an error must be located (the
// in-place parse has changed the first copy by then).
Result<std::unique_ptr<XmlDocument::Impl>> parse_utf8(
    std::string text, const std::string& display,
    const std::function<Result<std::string>()>& source) {
  // The scanner first: it names what pugixml would only call a mismatch, and catches what
  // pugixml accepts silently (unknown entities, a bare '&').
  {
    XmlScanner scanner;
    if (scanner.next(text, true) == XmlScanner::Step::kError) return diagnose(text, display);
  }
  auto impl = std::make_unique<XmlDocument::Impl>();
  impl->text = std::move(text);
  pugi::xml_parse_result r = impl->doc.load_buffer_inplace(
      impl->text.data(), impl->text.size(), detail::kParseFlags, pugi::encoding_utf8);
  if (!r) {
    if (r.status == pugi::status_out_of_memory) {
      return Status::limit(display + ": not enough memory to load the document");
    }
    auto again = source();
    if (!again) return again.status();
    Status s = diagnose(*again, display);
    if (!s) return s;
    return Status::parse(display + ": " + detail::status_message(r.status));
  }
  return impl;
}

}  // namespace

Result<std::string> read_whole_file(const std::string& path, const std::string& display) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status(display, errno);
  std::string out;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::io(display + ": is a folder, not a file");
  }
  if (st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return errno_status(display, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<std::string> decode_to_utf8(std::string raw, const std::string& display,
                                   const ReadOptions& options) {
  auto detected = choose_encoding(std::string_view(raw).substr(0, 512), display, options.encoding);
  if (!detected) return detected.status();
  if (detected->encoding == SourceEncoding::kUtf8) {
    if (detected->bom_length > 0) raw.erase(0, detected->bom_length);
    Status status;
    size_t valid = validate_utf8(raw, &status, expectation(*detected));
    if (valid < raw.size()) {
      TextPos pos;
      advance(pos, raw.data(), valid);
      return Status::error(status.code(), where(display, pos) + ": " + status.message());
    }
    return raw;
  }
  auto decoder = Utf8Decoder::create(*detected);
  if (!decoder) return decoder.status();
  std::string out;
  out.reserve(raw.size() + raw.size() / 2);
  Status s = (*decoder)->decode(raw.data() + detected->bom_length,
                                raw.size() - detected->bom_length, true, out);
  if (!s) {
    TextPos pos;
    advance(pos, out.data(), out.size());
    return Status::error(s.code(), where(display, pos) + ": " + s.message());
  }
  return out;
}

Result<std::unique_ptr<XmlDocument>> XmlDocument::load(const std::string& path,
                                                       const std::string& display,
                                                       const ReadOptions& options) {
  auto source = [&]() -> Result<std::string> {
    auto raw = read_whole_file(path, display);
    if (!raw) return raw.status();
    return decode_to_utf8(std::move(raw).value(), display, options);
  };
  auto text = source();
  if (!text) return text.status();
  auto impl = parse_utf8(std::move(text).value(), display, source);
  if (!impl) return impl.status();
  return std::unique_ptr<XmlDocument>(new XmlDocument(std::move(impl).value()));
}

Result<std::unique_ptr<XmlDocument>> XmlDocument::parse(std::string_view bytes,
                                                        const std::string& display,
                                                        const ReadOptions& options) {
  auto source = [&]() -> Result<std::string> {
    return decode_to_utf8(std::string(bytes), display, options);
  };
  auto text = source();
  if (!text) return text.status();
  auto impl = parse_utf8(std::move(text).value(), display, source);
  if (!impl) return impl.status();
  return std::unique_ptr<XmlDocument>(new XmlDocument(std::move(impl).value()));
}

Result<size_t> XmlDocument::select(const std::string& xpath, TreeSink& sink, size_t limit) const {
  try {
    pugi::xpath_query query(xpath.c_str());
    if (!query) {
      return Status::invalid("XPath '" + xpath + "': " + query.result().description() +
                             " at offset " + std::to_string(query.result().offset));
    }
    switch (query.return_type()) {
      case pugi::xpath_type_node_set: {
        pugi::xpath_node_set set = query.evaluate_node_set(impl_->doc);
        set.sort();
        size_t n = 0;
        for (const pugi::xpath_node& node : set) {
          if (limit > 0 && n >= limit) break;
          detail::emit_xpath_node(node, sink);
          ++n;
        }
        return n;
      }
      case pugi::xpath_type_number:
        sink.number_value(query.evaluate_number(impl_->doc));
        return size_t{1};
      case pugi::xpath_type_boolean:
        sink.boolean_value(query.evaluate_boolean(impl_->doc));
        return size_t{1};
      default:
        sink.string_value(query.evaluate_string(impl_->doc));
        return size_t{1};
    }
  } catch (const pugi::xpath_exception& e) {
    return Status::invalid("XPath '" + xpath + "': " + e.result().description() + " at offset " +
                           std::to_string(e.result().offset));
  }
}

}  // namespace jimu::xml

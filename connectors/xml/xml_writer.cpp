#include "connectors/xml/xml_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "connectors/xml/xml_encoding.h"

namespace jimu::xml {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    bool ok = c >= 0x80 || std::isalpha(c) || c == '_' || c == ':' ||
              (i > 0 && (std::isdigit(c) || c == '-' || c == '.'));
    if (!ok) return false;
  }
  return true;
}

class Serializer {
 public:
  explicit Serializer(const WriteOptions& options) : options_(options) {}

  Status run(const XmlNode& root) {
    if (options_.encoding != OutputEncoding::kUtf8) {
      encoder_ = std::make_unique<Cp932Encoder>();
      if (!encoder_->ok()) return Status::internal("iconv cannot convert to CP932");
    }
    if (options_.declaration) {
      const char* name = options_.encoding == OutputEncoding::kUtf8       ? "UTF-8"
                         : options_.encoding == OutputEncoding::kShiftJis ? "Shift_JIS"
                                                                          : "Windows-31J";
      out_ += "<?xml version=\"1.0\" encoding=\"";
      out_ += name;
      out_ += "\"?>\n";
    }
    Status s = element(root, 0, options_.indent > 0);
    if (!s) return s;
    out_ += '\n';
    return Status::ok();
  }

  std::string take() { return std::move(out_); }

 private:
  // The path of the node being written, XPath style: a step gets [k] when its parent has more
  // than one child of that name.
  std::string path(const std::string* attribute = nullptr) const {
    std::string p;
    for (size_t level = 0; level < chain_.size(); ++level) {
      const XmlNode* node = chain_[level];
      p += '/';
      p += node->tag;
      if (level > 0) {
        const XmlNode* parent = chain_[level - 1];
        size_t same = 0, position = 0;
        for (const XmlNode& sibling : parent->children) {
          if (sibling.tag == node->tag) ++same;
          if (&sibling == node) position = same;
        }
        if (same > 1) p += "[" + std::to_string(position) + "]";
      }
    }
    if (attribute != nullptr) p += "/@" + *attribute;
    return p;
  }

  // Escapes s into scratch_; returns an error naming what for a character that cannot be written.
  Status escape(std::string_view s, bool in_attribute, const std::string* attribute) {
    scratch_.clear();
    size_t i = 0;
    while (i < s.size()) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        switch (c) {
          case '&':
            scratch_ += "&amp;";
            break;
          case '<':
            scratch_ += "&lt;";
            break;
          case '>':
            scratch_ += "&gt;";
            break;
          case '\r':
            scratch_ += "&#13;";
            break;
          case '"':
            scratch_ += in_attribute ? "&quot;" : "\"";
            break;
          case '\'':
            scratch_ += in_attribute ? "&apos;" : "'";
            break;
          case '\t':
            scratch_ += in_attribute ? "&#9;" : "\t";
            break;
          case '\n':
            scratch_ += in_attribute ? "&#10;" : "\n";
            break;
          default:
            if (c < 0x20) {
              return Status::invalid(path(attribute) + ": character " + code_point_name(c) +
                                     " (a control character) is not allowed in XML 1.0");
            }
            scratch_ += static_cast<char>(c);
        }
        ++i;
        continue;
      }
      char32_t cp = 0;
      size_t len = decode_utf8_char(s.substr(i), &cp);
      if (len == 0) {
        return Status::encoding(path(attribute) + ": the text is not valid UTF-8 (byte " +
                                std::to_string(i + 1) + ")");
      }
      if (cp == 0xFFFE || cp == 0xFFFF) {
        return Status::invalid(path(attribute) + ": character " + code_point_name(cp) +
                               " is not allowed in XML 1.0");
      }
      scratch_.append(s.substr(i, len));
      i += len;
    }
    return Status::ok();
  }

  // Appends scratch_ (or s) to the output in the output encoding.
  Status put(std::string_view s, const std::string* attribute = nullptr) {
    if (!encoder_) {
      out_.append(s);
      return Status::ok();
    }
    char32_t bad = 0;
    if (encoder_->encode(s, out_, &bad)) return Status::ok();
    std::string ch;
    append_utf8(ch, bad);
    const char* enc = options_.encoding == OutputEncoding::kShiftJis ? "Shift_JIS (CP932)"
                                                                     : "Windows-31J (CP932)";
    return Status::encoding(path(attribute) + ": character " + code_point_name(bad) + " '" + ch +
                            "' cannot be written in " + enc + "; write UTF-8 or replace it");
  }

  void newline(int depth) {
    out_ += '\n';
    out_.append(static_cast<size_t>(depth * options_.indent), ' ');
  }

  Status element(const XmlNode& node, int depth, bool pretty) {
    chain_.push_back(&node);
    if (!valid_name(node.tag)) {
      return Status::invalid(path() + ": '" + node.tag + "' is not a valid XML element name");
    }
    out_ += '<';
    Status s = put(node.tag);
    if (!s) return s;
    for (const auto& [name, value] : node.attrs) {
      if (!valid_name(name)) {
        return Status::invalid(path(&name) + ": '" + name + "' is not a valid XML attribute name");
      }
      out_ += ' ';
      if (!(s = put(name, &name))) return s;
      out_ += "=\"";
      if (!(s = escape(value, true, &name))) return s;
      if (!(s = put(scratch_, &name))) return s;
      out_ += '"';
    }
    if (node.text.empty() && node.children.empty()) {
      out_ += "/>";
      chain_.pop_back();
      return Status::ok();
    }
    out_ += '>';
    if (!node.text.empty()) {
      if (!(s = escape(node.text, false, nullptr))) return s;
      if (!(s = put(scratch_))) return s;
    }
    // Mixed content keeps its exact text: no indentation inside it.
    bool child_pretty = pretty && node.text.empty();
    for (const XmlNode& child : node.children) {
      if (child_pretty) newline(depth + 1);
      if (!(s = element(child, depth + 1, child_pretty))) return s;
    }
    if (child_pretty && !node.children.empty()) newline(depth);
    out_ += "</";
    if (!(s = put(node.tag))) return s;
    out_ += '>';
    chain_.pop_back();
    return Status::ok();
  }

  const WriteOptions& options_;
  std::unique_ptr<Cp932Encoder> encoder_;
  std::vector<const XmlNode*> chain_;
  std::string scratch_;
  std::string out_;
};

Status errno_status(const std::string& display, int err) {
  if (err == ENOENT || err == ENOTDIR) return Status::not_found(display + ": no such folder");
  if (err == EACCES || err == EPERM) return Status::io(display + ": permission denied");
  return Status::io(display + ": " + std::strerror(err));
}

}  // namespace

Result<std::string> serialize(const XmlNode& root, const WriteOptions& options) {
  Serializer serializer(options);
  Status s = serializer.run(root);
  if (!s) return s;
  return serializer.take();
}

Status write_xml_file(const std::string& path, const std::string& display, const XmlNode& root,
                      const WriteOptions& options) {
  auto bytes = serialize(root, options);
  if (!bytes) return bytes.status().with_prefix(display);
  static std::atomic<unsigned> sequence{0};
  std::filesystem::path target(path);
  std::string tmp =
      (target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                               std::to_string(::getpid()) + "-" + std::to_string(sequence++)))
          .string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status(display, errno);
  Status s;
  size_t done = 0;
  while (s && done < bytes->size()) {
    ssize_t n = ::write(fd, bytes->data() + done, bytes->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      s = errno_status(display, errno);
      break;
    }
    done += static_cast<size_t>(n);
  }
  if (s && ::fsync(fd) != 0) s = errno_status(display, errno);
  if (::close(fd) != 0 && s) s = errno_status(display, errno);
  if (s && ::rename(tmp.c_str(), path.c_str()) != 0) s = errno_status(display, errno);
  if (!s) ::unlink(tmp.c_str());
  return s;
}

}  // namespace jimu::xml

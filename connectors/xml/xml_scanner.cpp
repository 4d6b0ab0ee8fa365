#include "connectors/xml/xml_scanner.h"

#include <cstring>

namespace jimu::xml {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Where the name of a tag ends: at white space, '/', '>' or the end of the buffer.
size_t name_end(std::string_view buf, size_t i) {
  while (i < buf.size()) {
    char c = buf[i];
    if (is_space(c) || c == '/' || c == '>' || c == '<') break;
    ++i;
  }
  return i;
}

size_t find(std::string_view buf, size_t from, std::string_view what) {
  size_t r = buf.find(what, from);
  return r;
}

bool xml_char(unsigned long c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

// A short quote of the text at i for messages ("& b").
std::string excerpt(std::string_view buf, size_t i, size_t n) {
  size_t end = i;
  while (end < buf.size() && end - i < n && buf[end] != '\n' && buf[end] != '<') ++end;
  // Do not cut a UTF-8 sequence.
  while (end < buf.size() && end > i && (static_cast<unsigned char>(buf[end]) & 0xC0) == 0x80)
    ++end;
  return std::string(buf.substr(i, end - i));
}

}  // namespace

XmlScanner::XmlScanner(std::vector<std::string> record_path) : path_(std::move(record_path)) {}

XmlScanner::Step XmlScanner::fail(size_t offset, std::string message) {
  error_offset_ = offset;
  error_ = std::move(message);
  return Step::kError;
}

std::string_view XmlScanner::name_of(std::string_view buf, const Open& e) const {
  if (e.is_owned) return e.owned;
  return buf.substr(e.offset, e.length);
}

size_t XmlScanner::keep_from() const { return in_record_ ? record_begin_ : pos_; }

void XmlScanner::discard(size_t n) {
  pos_ -= n;
  record_begin_ -= n;
  record_end_ = record_end_ >= n ? record_end_ - n : 0;
  for (Open& e : stack_) {
    if (!e.is_owned) e.offset -= n;
  }
}

bool XmlScanner::check_references(std::string_view buf, size_t begin, size_t end) {
  const char* base = buf.data();
  size_t i = begin;
  while (i < end) {
    const void* amp = std::memchr(base + i, '&', end - i);
    if (amp == nullptr) return true;
    i = static_cast<size_t>(static_cast<const char*>(amp) - base);
    size_t semi = i + 1;
    while (semi < end && semi - i <= 40 && buf[semi] != ';' && !is_space(buf[semi]) &&
           buf[semi] != '&') {
      ++semi;
    }
    if (semi >= end || buf[semi] != ';' || semi == i + 1) {
      fail(i, "'&' that does not start an entity reference (found '" + excerpt(buf, i, 12) +
                  "'): write a literal '&' as &amp;");
      return false;
    }
    std::string_view ref = buf.substr(i + 1, semi - i - 1);
    if (ref[0] == '#') {
      bool hex = ref.size() > 1 && ref[1] == 'x';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      unsigned long value = 0;
      bool ok = !digits.empty() && digits.size() <= 8;
      for (char c : digits) {
        int d = c >= '0' && c <= '9'          ? c - '0'
                : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                              : -1;
        if (d < 0) ok = false;
        value = value * (hex ? 16 : 10) + static_cast<unsigned long>(d < 0 ? 0 : d);
      }
      if (!ok) {
        fail(i, "malformed character reference '&" + std::string(ref) +
                    ";': expected &#DIGITS; or &#xHEX;");
        return false;
      }
      if (!xml_char(value)) {
        fail(i, "character reference '&" + std::string(ref) +
                    ";' names a character XML 1.0 does not allow");
        return false;
      }
    } else if (ref != "lt" && ref != "gt" && ref != "amp" && ref != "quot" && ref != "apos") {
      fail(i, "unknown entity '&" + std::string(ref) +
                  ";' (XML defines only &lt; &gt; &amp; &quot; &apos; and character references)");
      return false;
    }
    i = semi + 1;
  }
  return true;
}

XmlScanner::Step XmlScanner::end_of_input(std::string_view buf) {
  if (!stack_.empty()) {
    return fail(buf.size(), "unexpected end of file inside element <" +
                                std::string(name_of(buf, stack_.back())) + ">");
  }
  if (!seen_root_) return fail(buf.size(), "no root element: the file holds no XML element");
  return Step::kDone;
}

XmlScanner::Step XmlScanner::next(std::string_view buf, bool eof) {
  const char* base = buf.data();
  const size_t n = buf.size();
  for (;;) {
    // Text up to the next '<'.
    const void* lt_ptr = pos_ < n ? std::memchr(base + pos_, '<', n - pos_) : nullptr;
    size_t lt = lt_ptr ? static_cast<size_t>(static_cast<const char*>(lt_ptr) - base) : n;
    if (lt_ptr == nullptr && !eof) return Step::kNeedMore;
    if (lt > pos_) {
      if (stack_.empty()) {
        for (size_t i = pos_; i < lt; ++i) {
          if (!is_space(buf[i])) {
            return fail(i, seen_root_
                               ? "text after the end of the root element </" + root_name_ + ">"
                               : "text before the root element: expected '<'");
          }
        }
      } else if (!check_references(buf, pos_, lt)) {
        return Step::kError;
      }
      pos_ = lt;
    }
    if (lt_ptr == nullptr) return end_of_input(buf);

    // A token starting at lt.
    size_t i = lt;
    if (i + 1 >= n) {
      if (eof) return end_of_input(buf);
      return Step::kNeedMore;
    }
    char c = buf[i + 1];
    if (c == '/') {
      size_t gt_search = i + 2;
      const void* gt_ptr = std::memchr(base + gt_search, '>', n - gt_search);
      if (gt_ptr == nullptr) {
        if (eof) return end_of_input(buf);
        return Step::kNeedMore;
      }
      size_t gt = static_cast<size_t>(static_cast<const char*>(gt_ptr) - base);
      size_t ne = name_end(buf, i + 2);
      std::string_view found = buf.substr(i + 2, ne - (i + 2));
      if (stack_.empty()) {
        return fail(i, "end tag </" + std::string(found) + "> without a matching start tag");
      }
      std::string_view expected = name_of(buf, stack_.back());
      if (found != expected) {
        return fail(i, "mismatched end tag: expected </" + std::string(expected) + ">, found </" +
                           std::string(found) + ">");
      }
      for (size_t k = ne; k < gt; ++k) {
        if (!is_space(buf[k])) {
          return fail(k, "malformed end tag </" + std::string(found) + ">: expected '>'");
        }
      }
      stack_.pop_back();
      size_t depth = stack_.size();
      if (match_depth_ > depth) match_depth_ = depth;
      pos_ = gt + 1;
      if (in_record_ && depth + 1 == path_.size()) {
        in_record_ = false;
        record_end_ = pos_;
        return Step::kRecord;
      }
      continue;
    }
    if (c == '?') {
      size_t end = find(buf, i + 2, "?>");
      if (end == std::string_view::npos) {
        if (!eof) return Step::kNeedMore;
        return fail(i, "unexpected end of file inside a processing instruction: expected '?>'");
      }
      pos_ = end + 2;
      continue;
    }
    if (c == '!') {
      if (n - i < 9 && !eof) return Step::kNeedMore;
      std::string_view rest = buf.substr(i);
      if (rest.substr(0, 4) == "<!--") {
        size_t end = find(buf, i + 4, "-->");
        if (end == std::string_view::npos) {
          if (!eof) return Step::kNeedMore;
          return fail(i, "unexpected end of file inside a comment: expected '-->'");
        }
        pos_ = end + 3;
        continue;
      }
      if (rest.substr(0, 9) == "<![CDATA[") {
        if (stack_.empty()) return fail(i, "CDATA section outside the root element");
        size_t end = find(buf, i + 9, "]]>");
        if (end == std::string_view::npos) {
          if (!eof) return Step::kNeedMore;
          return fail(i, "unexpected end of file inside a CDATA section: expected ']]>'");
        }
        pos_ = end + 3;
        continue;
      }
      if (rest.substr(0, 9) == "<!DOCTYPE") {
        size_t k = i + 9;
        int bracket = 0;
        char quote = 0;
        for (; k < n; ++k) {
          char d = buf[k];
          if (quote) {
            if (d == quote) quote = 0;
          } else if (d == '"' || d == '\'') {
            quote = d;
          } else if (d == '[') {
            ++bracket;
          } else if (d == ']') {
            --bracket;
          } else if (d == '>' && bracket <= 0) {
            break;
          }
        }
        if (k >= n) {
          if (!eof) return Step::kNeedMore;
          return fail(i, "unexpected end of file inside the document type declaration");
        }
        pos_ = k + 1;
        continue;
      }
      return fail(i, "malformed markup '" + excerpt(buf, i, 12) +
                         "': expected a comment <!-- -->, <![CDATA[ ]]> or <!DOCTYPE>");
    }
    // A start tag.
    size_t ne = name_end(buf, i + 1);
    if (ne == i + 1) {
      if (ne >= n && !eof) return Step::kNeedMore;
      return fail(i, "expected an element name after '<' (write a literal '<' as &lt;)");
    }
    size_t k = ne;
    bool closed = false;
    while (k < n) {
      char d = buf[k];
      if (d == '"' || d == '\'') {
        const void* q = std::memchr(base + k + 1, d, n - k - 1);
        if (q == nullptr) {
          k = n;
          break;
        }
        size_t qe = static_cast<size_t>(static_cast<const char*>(q) - base);
        if (!check_references(buf, k + 1, qe)) return Step::kError;
        k = qe + 1;
        continue;
      }
      if (d == '>') {
        closed = true;
        break;
      }
      if (d == '<') {
        return fail(k, "malformed start tag <" + std::string(buf.substr(i + 1, ne - i - 1)) +
                           ">: expected '>' or '/>' before '<'");
      }
      ++k;
    }
    if (!closed) {
      if (!eof) return Step::kNeedMore;
      std::string name(buf.substr(i + 1, ne - i - 1));
      return fail(n, "unexpected end of file inside the start tag <" + name + ">");
    }
    bool empty = buf[k - 1] == '/' && k - 1 >= ne;
    std::string_view name = buf.substr(i + 1, ne - i - 1);
    if (stack_.empty() && seen_root_) {
      return fail(i, "a second root element <" + std::string(name) + "> after </" + root_name_ +
                         ">: a document has one root");
    }
    if (!seen_root_) {
      seen_root_ = true;
      root_name_ = std::string(name);
    }
    size_t depth = stack_.size();
    bool starts_record = false;
    if (!path_.empty() && !in_record_ && match_depth_ == depth && depth < path_.size() &&
        (path_[depth] == "*" || path_[depth] == name)) {
      match_depth_ = depth + 1;
      if (depth + 1 == path_.size()) {
        starts_record = true;
        in_record_ = true;
        record_begin_ = i;
      }
    }
    pos_ = k + 1;
    if (empty) {
      if (match_depth_ > depth) match_depth_ = depth;
      if (starts_record) {
        in_record_ = false;
        record_end_ = pos_;
        return Step::kRecord;
      }
      continue;
    }
    Open e;
    if (path_.empty() || in_record_) {
      e.offset = i + 1;
      e.length = ne - i - 1;
    } else {
      e.owned = std::string(name);
      e.is_owned = true;
    }
    stack_.push_back(std::move(e));
  }
}

}  // namespace jimu::xml

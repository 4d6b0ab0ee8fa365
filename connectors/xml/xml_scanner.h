// XmlScanner: a fast well-formedness scanner over UTF-8 XML text, and the record finder behind
// jimu.xml.each.
//
// It reads markup only (tags, comments, CDATA, processing instructions, the DOCTYPE) and checks
// what pugixml lets through or reports vaguely: that end tags match their start tags (naming
// both), that the file does not end inside an element (naming the innermost), that entity and
// character references are ones XML defines, and that there is exactly one root element with no
// text outside it. Attribute syntax and names are left to pugixml, which parses every record.
//
// It works on a buffer the caller fills piece by piece: next() returns kNeedMore when the buffer
// ends inside a token, and the caller appends more text (or says it has reached the end). With a
// record path ("/export/document"), next() stops at each complete element at that path and the
// caller may then discard the text before keep_from(); memory is bounded by the largest record.
// Plain C++; one scanner belongs to one thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace jimu::xml {

class XmlScanner {
 public:
  enum class Step {
    kRecord,    // a record lies at [record_begin(), record_end()) of the buffer
    kNeedMore,  // append more text to the buffer (or pass eof) and call next() again
    kDone,      // the document ended well-formed
    kError,     // error_message() at buffer offset error_offset()
  };

  // record_path: element names from the root ("export", "document"; "*" matches any name); empty
  // to check a whole document without stopping at records.
  explicit XmlScanner(std::vector<std::string> record_path = {});

  // Continues scanning buf (the same text as before, possibly with more appended and with a
  // prefix discarded through discard()). eof: nothing more will be appended.
  Step next(std::string_view buf, bool eof);

  size_t record_begin() const { return record_begin_; }
  size_t record_end() const { return record_end_; }
  const std::string& error_message() const { return error_; }
  size_t error_offset() const { return error_offset_; }

  // The scanner needs the buffer from this offset on; the caller may drop what lies before it.
  size_t keep_from() const;
  // The caller dropped the first n bytes of the buffer (n <= keep_from()).
  void discard(size_t n);

 private:
  struct Open {
    size_t offset = 0;  // of the name in the buffer (inside a record or whole-document mode)
    size_t length = 0;
    std::string owned;  // the name itself, for elements whose start may be discarded
    bool is_owned = false;
  };

  Step fail(size_t offset, std::string message);
  std::string_view name_of(std::string_view buf, const Open& e) const;
  // Checks entity and character references in buf[begin, end); false after fail().
  bool check_references(std::string_view buf, size_t begin, size_t end);
  Step end_of_input(std::string_view buf);

  std::vector<std::string> path_;
  std::vector<Open> stack_;
  size_t pos_ = 0;
  size_t match_depth_ = 0;  // leading levels of stack_ that match path_
  bool in_record_ = false;
  bool seen_root_ = false;
  std::string root_name_;
  size_t record_begin_ = 0;
  size_t record_end_ = 0;
  std::string error_;
  size_t error_offset_ = 0;
};

}  // namespace jimu::xml

// XmlDocument: a whole XML file parsed into memory (pugixml's DOM, about 2.5x the file size),
// queried with XPath 1.0.
//
// Loading decodes the file to UTF-8 (xml_encoding.h), checks it with XmlScanner for the errors
// pugixml reports vaguely or not at all (mismatched tags, bad entities, truncation) and parses it
// with pugixml. Every failure names the file, line and column (in characters) and says what was
// expected: code not_found, io, encoding or parse. Element and attribute names are taken as
// written, with their namespace prefixes; XPath matches those names (no namespace URIs are
// resolved). Plain C++. A document is immutable after loading; select() may run from several
// threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "connectors/xml/xml_tree.h"
#include "engine/core/status.h"

namespace jimu::xml {

struct ReadOptions {
  // "auto" (default): BOM, then the XML declaration, then UTF-8. Or "utf-8", "shift_jis"/"cp932",
  // "euc-jp": read as that whatever the file declares.
  std::string encoding = "auto";
};

// Reads a whole file; display names it in messages. not_found or io on failure.
Result<std::string> read_whole_file(const std::string& path, const std::string& display);

// Decodes raw bytes to UTF-8 and checks every character; display names the text in messages.
Result<std::string> decode_to_utf8(std::string raw, const std::string& display,
                                   const ReadOptions& options);

class XmlDocument {
 public:
  static Result<std::unique_ptr<XmlDocument>> load(const std::string& path,
                                                   const std::string& display,
                                                   const ReadOptions& options = {});
  static Result<std::unique_ptr<XmlDocument>> parse(std::string_view bytes,
                                                    const std::string& display,
                                                    const ReadOptions& options = {});
  ~XmlDocument();
  XmlDocument(const XmlDocument&) = delete;
  XmlDocument& operator=(const XmlDocument&) = delete;

  // Evaluates xpath from the document root and sends the results to sink in document order:
  // elements as trees, attributes and text nodes as strings; an expression of another type
  // (count(...), string(...), a comparison) sends its one number, string or boolean. At most
  // limit results when limit > 0. Returns how many were sent, or invalid for a malformed XPath
  // ("XPath 'x[': expected ']' at offset 2").
  Result<size_t> select(const std::string& xpath, TreeSink& sink, size_t limit = 0) const;

  struct Impl;  // opaque: pugixml's DOM and the text it points into

 private:
  explicit XmlDocument(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jimu::xml

// Writing XML for re-import into the document-management system.
//
// The tree is an XmlNode (xml_tree.h). Text and attribute values are escaped (& < > always,
// " ' and tab/newline/CR in attributes, CR in text, so that a reader gets back exactly what was
// written); a character XML 1.0 does not allow (control characters) is an invalid error, bytes
// that are not UTF-8 or a character the output encoding cannot hold an encoding error, each
// naming the node by its path ("/export/document[3]/title", "/export/document[3]/@id").
// Shift_JIS output is CP932 bytes: what Windows and the Japanese systems that declare Shift_JIS
// actually read, so ①, ㈱, 髙 and ～ survive; characters outside CP932 (𠮟, emoji) are errors.
// The file is written to a temporary name beside the target and renamed into place, so a failed
// write leaves no file and never clobbers an existing one. Plain C++; thread-safe (no shared
// state).
#pragma once

#include <string>

#include "connectors/xml/xml_tree.h"
#include "engine/core/status.h"

namespace jimu::xml {

enum class OutputEncoding {
  kUtf8,        // declared "UTF-8"
  kShiftJis,    // CP932 bytes, declared "Shift_JIS"
  kWindows31J,  // CP932 bytes, declared "Windows-31J"
};

struct WriteOptions {
  OutputEncoding encoding = OutputEncoding::kUtf8;  // default UTF-8
  int indent = 2;           // spaces per level; 0 writes no line breaks (default 2)
  bool declaration = true;  // write <?xml version="1.0" encoding="..."?> (default true)
};

// The document as bytes in the chosen encoding. Errors as described above, without a file name.
Result<std::string> serialize(const XmlNode& root, const WriteOptions& options);

// Serializes root and writes it atomically to path; display names the file in messages.
Status write_xml_file(const std::string& path, const std::string& display, const XmlNode& root,
                      const WriteOptions& options);

}  // namespace jimu::xml

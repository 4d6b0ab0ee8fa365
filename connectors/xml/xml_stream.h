// each_record: streams the records of an XML export too large for memory.
//
// A record path is an absolute path of element names from the root, "/export/document" ("*"
// matches any name at its step; no "//", predicates or attributes). The file is read in pieces,
// decoded to UTF-8, scanned for record boundaries with XmlScanner, and each record alone is
// parsed with pugixml and sent to the sink. Memory is bounded by the largest record plus one
// read piece (1 MB), whatever the file size. Errors anywhere in the file (including between
// records) carry file:line:col, as for XmlDocument. Plain C++; a call uses one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connectors/xml/xml_document.h"
#include "connectors/xml/xml_tree.h"
#include "engine/core/status.h"

namespace jimu::xml {

// Receives each record as a tree (TreeSink calls), then record_done(), which returns false to stop.
class RecordSink : public TreeSink {
 public:
  virtual bool record_done() = 0;
};

struct StreamOptions {
  ReadOptions read;
  size_t max_record_bytes = 256u << 20;  // a larger record is a limit error (default 256 MB)
  size_t read_size = 1u << 20;           // bytes read at a time
  bool flat = false;  // send records in flat form (xml_pugi.h emit_flat; default false)
};

// The element names of a record path, or invalid naming the path.
Result<std::vector<std::string>> parse_record_path(std::string_view record_path);

// Sends every record at record_path to sink in file order; returns the number of records sent
// (including one on which record_done() returned false).
Result<size_t> each_record(const std::string& path, const std::string& display,
                           const std::vector<std::string>& record_path, RecordSink& sink,
                           const StreamOptions& options = {});

}  // namespace jimu::xml

// ZipArchive: reads the entries of a zip file (an .xlsx is one) by its central directory, and
// streams one entry's bytes through inflate in fixed-size chunks, so a sheet of any size is read
// in constant memory.
//
// Why not Poco::Zip: its stream parser walks the local headers, which carry no sizes when the
// writer used data descriptors (Python's zipfile on a pipe, many Java tools); the central
// directory is the authority the zip format defines and always has them. Entries may be stored or
// deflated; ZIP64 sizes and offsets are understood; the CRC-32 of each entry is checked at its end.
//
// Errors name the file as the caller displays it ("in/book.xlsx: ..."). Not thread-safe: one
// archive and its entry streams belong to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu::xlsx {

struct ZipEntryInfo {
  std::string name;
  uint16_t method = 0;  // 0 stored, 8 deflated
  uint32_t crc32 = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint64_t local_header_offset = 0;
};

// One entry being read. read() returns the next bytes (0 at the end).
class ZipEntryStream {
 public:
  virtual ~ZipEntryStream() = default;
  // Fills up to size bytes; returns how many (0 = end of entry), or a parse/io failure.
  virtual Result<size_t> read(char* buffer, size_t size) = 0;
};

class ZipArchive {
 public:
  // Opens path and reads its central directory. display names the file in messages.
  // Fails with not_found (no such file), io, or parse ("not a zip archive", "truncated").
  static Result<std::unique_ptr<ZipArchive>> open(const std::string& path,
                                                  const std::string& display);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  const std::vector<ZipEntryInfo>& entries() const { return entries_; }
  const ZipEntryInfo* find(const std::string& name) const;

  // Opens a stream over one entry. The stream borrows this archive and must not outlive it.
  Result<std::unique_ptr<ZipEntryStream>> open_entry(const ZipEntryInfo& entry);
  // Reads a whole (small) entry; fails with limit past max_bytes.
  Result<std::string> read_entry(const ZipEntryInfo& entry, size_t max_bytes);

  const std::string& display() const { return display_; }

 private:
  ZipArchive() = default;
  Status read_central_directory();

  std::string path_;
  std::string display_;
  int fd_ = -1;  // owned; entry streams read it at their own offsets (pread)
  uint64_t file_size_ = 0;
  std::vector<ZipEntryInfo> entries_;
};

}  // namespace jimu::xlsx

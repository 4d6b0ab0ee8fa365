// Plain file operations for workflows (jimu.fs): whole-file reads, atomic writes, listings.
//
// Writes go to a temporary name beside the target and are renamed into place only when complete,
// so a failed or interrupted write never leaves a half-written file where a good one was.
// Paths here are already resolved by the sandbox. Thread-safe (no shared state).
#pragma once

#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu::fs_ops {

// display is how messages name the file (the path as the workflow wrote it).
Result<std::string> read_file(const std::string& path, const std::string& display);
Status write_file_atomic(const std::string& path, const std::string& data,
                         const std::string& display);
Status append_file(const std::string& path, const std::string& data, const std::string& display);

struct DirEntry {
  std::string name;
  bool is_dir = false;
  long long size = 0;
};
// Sorted by name.
Result<std::vector<DirEntry>> list_dir(const std::string& path, const std::string& display);

}  // namespace jimu::fs_ops

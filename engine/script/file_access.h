// FileAccess: which files a workflow may read and write.
//
// A workflow names files relative to its own folder (base_dir) or absolutely. A path is allowed
// when, after resolving "..", symbolic links and the base folder, it lies under one of the read
// roots (for reading) or write roots (for writing). The run's output folder is always a write
// root. Plain C++ (no Lua); thread-safe once built, as it is never changed after construction.
#pragma once

#include <string>
#include <vector>

#include "engine/core/status.h"

namespace jimu {

struct FileAccessOptions {
  std::string base_dir;                  // relative paths resolve here (the workflow's folder)
  std::vector<std::string> read_roots;   // may read under these (writable roots are readable)
  std::vector<std::string> write_roots;  // may write under these
};

class FileAccess {
 public:
  FileAccess() = default;
  explicit FileAccess(const FileAccessOptions& options);

  // The absolute path to read, or denied/invalid naming the path as the workflow wrote it.
  Result<std::string> resolve_read(const std::string& path) const;
  // The absolute path to write (its folder need not exist yet).
  Result<std::string> resolve_write(const std::string& path) const;

  const std::string& base_dir() const { return base_dir_; }
  void add_write_root(const std::string& root);

 private:
  Result<std::string> resolve(const std::string& path, const std::vector<std::string>& roots,
                              const char* verb) const;
  std::string base_dir_;
  std::vector<std::string> read_roots_;
  std::vector<std::string> write_roots_;
};

}  // namespace jimu

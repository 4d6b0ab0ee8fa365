#include "engine/script/file_access.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace jimu {
namespace {

std::string canonical_root(const std::string& root) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(root), ec);
  if (ec) return fs::absolute(root).lexically_normal().string();
  return p.string();
}

bool is_under(const std::string& path, const std::string& root) {
  if (path == root) return true;
  if (path.size() <= root.size() || path.compare(0, root.size(), root) != 0) return false;
  return root.back() == '/' || path[root.size()] == '/';
}

}  // namespace

FileAccess::FileAccess(const FileAccessOptions& options)
    : base_dir_(canonical_root(options.base_dir.empty() ? "." : options.base_dir)) {
  for (const auto& r : options.read_roots) read_roots_.push_back(canonical_root(r));
  for (const auto& r : options.write_roots) add_write_root(r);
}

void FileAccess::add_write_root(const std::string& root) {
  write_roots_.push_back(canonical_root(root));
  read_roots_.push_back(write_roots_.back());
}

Result<std::string> FileAccess::resolve(const std::string& path,
                                        const std::vector<std::string>& roots,
                                        const char* verb) const {
  if (path.empty()) return Status::invalid("empty file name");
  if (path.find('\0') != std::string::npos) return Status::invalid(path + ": NUL in file name");
  fs::path p(path);
  if (p.is_relative()) p = fs::path(base_dir_) / p;
  std::error_code ec;
  // weakly_canonical resolves the symbolic links of the part that exists, so a link pointing out
  // of an allowed folder is judged by where it points.
  fs::path resolved = fs::weakly_canonical(p, ec);
  if (ec) return Status::io(path + ": " + ec.message());
  std::string s = resolved.string();
  for (const auto& root : roots) {
    if (is_under(s, root)) return s;
  }
  return Status::denied(path + ": may not " + verb +
                        " outside the folders this workflow is allowed (see [files] in jimu.conf)");
}

Result<std::string> FileAccess::resolve_read(const std::string& path) const {
  return resolve(path, read_roots_, "read");
}

Result<std::string> FileAccess::resolve_write(const std::string& path) const {
  return resolve(path, write_roots_, "write");
}

}  // namespace jimu

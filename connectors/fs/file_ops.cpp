#include "connectors/fs/file_ops.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace fs = std::filesystem;

namespace jimu::fs_ops {
namespace {

Status errno_status(const std::string& display, int err) {
  if (err == ENOENT) return Status::not_found(display + ": no such file or folder");
  if (err == EACCES || err == EPERM) return Status::io(display + ": permission denied");
  return Status::io(display + ": " + std::strerror(err));
}

Status write_all(int fd, const std::string& data, const std::string& display) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status(display, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

}  // namespace

Result<std::string> read_file(const std::string& path, const std::string& display) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_status(display, errno);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return errno_status(display, err == EISDIR ? EISDIR : err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status write_file_atomic(const std::string& path, const std::string& data,
                         const std::string& display) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status(display, errno);
  Status s = write_all(fd, data, display);
  if (s && ::fsync(fd) != 0) s = errno_status(display, errno);
  ::close(fd);
  if (s && ::rename(tmp.c_str(), path.c_str()) != 0) s = errno_status(display, errno);
  if (!s) ::unlink(tmp.c_str());
  return s;
}

Status append_file(const std::string& path, const std::string& data, const std::string& display) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return errno_status(display, errno);
  Status s = write_all(fd, data, display);
  ::close(fd);
  return s;
}

Result<std::vector<DirEntry>> list_dir(const std::string& path, const std::string& display) {
  std::error_code ec;
  fs::directory_iterator it(path, ec);
  if (ec) return errno_status(display, ec.value());
  std::vector<DirEntry> out;
  for (const auto& entry : it) {
    DirEntry e;
    e.name = entry.path().filename().string();
    e.is_dir = entry.is_directory(ec);
    e.size = e.is_dir ? 0 : static_cast<long long>(entry.file_size(ec));
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

}  // namespace jimu::fs_ops

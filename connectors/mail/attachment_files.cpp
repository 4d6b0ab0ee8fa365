#include "connectors/mail/attachment_files.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace jimu::mail {

std::string safe_attachment_name(const std::string& name) {
  size_t slash = name.find_last_of("/\\");
  std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  std::string out;
  for (char c : base) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7F || std::strchr(":*?\"<>|", c) ? '_' : c);
  }
  size_t b = out.find_first_not_of(". ");
  out = b == std::string::npos ? "" : out.substr(b);  // no hidden files, no "..": drop leading dots
  while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  if (out.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // whole chars
    std::string ext;
    if (size_t dot = out.rfind('.'); dot != std::string::npos && out.size() - dot <= 10) {
      ext = out.substr(dot);
    }
    out = out.substr(0, cut - std::min(cut, ext.size())) + ext;
  }
  return out.empty() ? "attachment" : out;
}

Result<std::string> save_attachment(const std::string& dir, const std::string& name,
                                    const std::string& data) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::io(dir + ": cannot create the folder: " + ec.message());
  std::string safe = safe_attachment_name(name);
  std::string stem = safe, ext;
  if (size_t dot = safe.rfind('.'); dot != std::string::npos && dot > 0) {
    stem = safe.substr(0, dot);
    ext = safe.substr(dot);
  }
  for (int n = 0; n < 10000; ++n) {
    std::string path = dir + "/" + (n == 0 ? safe : stem + "-" + std::to_string(n) + ext);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return Status::io(path + ": cannot create: " + std::strerror(errno));
    }
    size_t done = 0;
    while (done < data.size()) {
      ssize_t w = ::write(fd, data.data() + done, data.size() - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        ::unlink(path.c_str());
        return Status::io(path + ": cannot write: " + std::strerror(err));
      }
      done += static_cast<size_t>(w);
    }
    if (::close(fd) != 0) return Status::io(path + ": cannot write: " + std::strerror(errno));
    return path;
  }
  return Status::conflict(dir + "/" + safe + ": too many files with this name");
}

}  // namespace jimu::mail

#include "connectors/xlsx/zip_archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace jimu::xlsx {
namespace {

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kChunk = 64 * 1024;

uint16_t le16(const unsigned char* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t le32(const unsigned char* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t le64(const unsigned char* p) {
  return static_cast<uint64_t>(le32(p)) | (static_cast<uint64_t>(le32(p + 4)) << 32);
}

// Reads exactly size bytes at offset; false when the file is shorter or a read fails.
bool read_at(int fd, uint64_t offset, void* buffer, size_t size) {
  auto* out = static_cast<char*>(buffer);
  while (size > 0) {
    ssize_t n = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

class EntryStream : public ZipEntryStream {
 public:
  EntryStream(int fd, const ZipEntryInfo& entry, uint64_t data_offset, std::string subject)
      : fd_(fd),
        entry_(entry),
        offset_(data_offset),
        left_(entry.compressed_size),
        subject_(std::move(subject)) {
    std::memset(&z_, 0, sizeof z_);
  }
  ~EntryStream() override {
    if (z_ready_) inflateEnd(&z_);
  }

  Status init() {
    if (entry_.method == 8) {
      if (inflateInit2(&z_, -MAX_WBITS) != Z_OK)
        return Status::internal(subject_ + ": inflate init failed");
      z_ready_ = true;
      in_.resize(kChunk);
    } else if (entry_.method != 0) {
      return Status::parse(subject_ + ": unsupported compression method " +
                           std::to_string(entry_.method));
    }
    return Status::ok();
  }

  Result<size_t> read(char* buffer, size_t size) override {
    if (done_ || size == 0) return size_t{0};
    size_t got = 0;
    if (entry_.method == 0) {
      size_t n = static_cast<size_t>(std::min<uint64_t>(size, left_));
      if (n > 0 && !read_at(fd_, offset_, buffer, n)) return truncated();
      offset_ += n;
      left_ -= n;
      got = n;
    } else {
      z_.next_out = reinterpret_cast<Bytef*>(buffer);
      z_.avail_out = static_cast<uInt>(size);
      while (z_.avail_out > 0) {
        if (z_.avail_in == 0) {
          if (left_ == 0) return truncated();
          size_t n = static_cast<size_t>(std::min<uint64_t>(in_.size(), left_));
          if (!read_at(fd_, offset_, in_.data(), n)) return truncated();
          offset_ += n;
          left_ -= n;
          z_.next_in = reinterpret_cast<Bytef*>(in_.data());
          z_.avail_in = static_cast<uInt>(n);
        }
        int rc = inflate(&z_, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
          eof_ = true;
          break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
          return Status::parse(subject_ + ": corrupt compressed data (" +
                               (z_.msg ? z_.msg : "inflate error") + ")");
        }
      }
      got = size - z_.avail_out;
    }
    crc_ = crc32(crc_, reinterpret_cast<const Bytef*>(buffer), static_cast<uInt>(got));
    total_ += got;
    if ((entry_.method == 0 && left_ == 0) || eof_) {
      done_ = true;
      if (crc_ != entry_.crc32 || total_ != entry_.uncompressed_size) {
        return Status::parse(subject_ + ": corrupt entry (CRC or size does not match)");
      }
    }
    return got;
  }

 private:
  Status truncated() const { return Status::parse(subject_ + ": truncated entry"); }

  int fd_;
  ZipEntryInfo entry_;
  uint64_t offset_;
  uint64_t left_;
  std::string subject_;
  z_stream z_;
  bool z_ready_ = false;
  bool eof_ = false;
  bool done_ = false;
  std::string in_;
  uLong crc_ = 0;
  uint64_t total_ = 0;
};

}  // namespace

ZipArchive::~ZipArchive() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<ZipArchive>> ZipArchive::open(const std::string& path,
                                                     const std::string& display) {
  std::unique_ptr<ZipArchive> zip(new ZipArchive());
  zip->path_ = path;
  zip->display_ = display;
  zip->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (zip->fd_ < 0) {
    if (errno == ENOENT) return Status::not_found(display + ": no such file");
    return Status::io(display + ": cannot open: " + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(zip->fd_, &st) != 0)
    return Status::io(display + ": cannot stat: " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return Status::io(display + ": is a folder, not a file");
  zip->file_size_ = static_cast<uint64_t>(st.st_size);
  Status s = zip->read_central_directory();
  if (!s) return s;
  return zip;
}

Status ZipArchive::read_central_directory() {
  unsigned char magic[4] = {0, 0, 0, 0};
  bool has_magic = file_size_ >= 4 && read_at(fd_, 0, magic, 4);
  if (has_magic && std::memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0) {
    return Status::parse(display_ +
                         ": an .xls file or a password-protected workbook (OLE2 compound file), "
                         "not an .xlsx file");
  }
  if (!has_magic || le32(magic) != kLocalHeaderSig) {
    if (!(has_magic && le32(magic) == kEndSig)) {  // an empty zip still is a zip
      return Status::parse(display_ + ": not an .xlsx file (not a zip archive)");
    }
  }
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  const uint64_t tail = std::min<uint64_t>(file_size_, 22 + 65535);
  std::string buf(tail, '\0');
  if (!read_at(fd_, file_size_ - tail, buf.data(), tail)) {
    return Status::io(display_ + ": cannot read the file");
  }
  const auto* b = reinterpret_cast<const unsigned char*>(buf.data());
  int64_t end_at = -1;
  for (int64_t i = static_cast<int64_t>(tail) - 22; i >= 0; --i) {
    if (le32(b + i) == kEndSig) {
      end_at = i;
      break;
    }
  }
  const Status truncated =
      Status::parse(display_ + ": truncated or damaged zip archive (no central directory)");
  if (end_at < 0) return truncated;
  const unsigned char* e = b + end_at;
  uint64_t count = le16(e + 10);
  uint64_t cd_size = le32(e + 12);
  uint64_t cd_offset = le32(e + 16);
  if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    const uint64_t end_pos = file_size_ - tail + static_cast<uint64_t>(end_at);
    unsigned char loc[20];
    unsigned char z64[56];
    if (end_pos < 20 || !read_at(fd_, end_pos - 20, loc, 20) || le32(loc) != kZip64LocatorSig ||
        !read_at(fd_, le64(loc + 8), z64, 56) || le32(z64) != kZip64EndSig) {
      return truncated;
    }
    count = le64(z64 + 32);
    cd_size = le64(z64 + 40);
    cd_offset = le64(z64 + 48);
  }
  if (cd_offset > file_size_ || cd_size > file_size_ - cd_offset || count > cd_size / 46) {
    return truncated;
  }
  std::string cd(cd_size, '\0');
  if (!read_at(fd_, cd_offset, cd.data(), cd_size)) return truncated;
  const auto* p = reinterpret_cast<const unsigned char*>(cd.data());
  const unsigned char* end = p + cd_size;
  const Status damaged = Status::parse(display_ + ": damaged zip archive (central directory)");
  entries_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (end - p < 46 || le32(p) != kCentralHeaderSig) return damaged;
    ZipEntryInfo info;
    const uint16_t flags = le16(p + 8);
    info.method = le16(p + 10);
    info.crc32 = le32(p + 16);
    info.compressed_size = le32(p + 20);
    info.uncompressed_size = le32(p + 24);
    const uint16_t name_len = le16(p + 28);
    const uint16_t extra_len = le16(p + 30);
    const uint16_t comment_len = le16(p + 32);
    info.local_header_offset = le32(p + 42);
    if (end - p < 46 + name_len + extra_len + comment_len) return damaged;
    info.name.assign(reinterpret_cast<const char*>(p + 46), name_len);
    // ZIP64: the extra field holds the 64-bit values of those fields that are all ones.
    const unsigned char* x = p + 46 + name_len;
    const unsigned char* x_end = x + extra_len;
    while (x_end - x >= 4) {
      const uint16_t id = le16(x);
      const uint16_t len = le16(x + 2);
      if (x_end - x - 4 < len) break;
      if (id == 0x0001) {
        const unsigned char* v = x + 4;
        const unsigned char* v_end = v + len;
        auto take = [&](uint64_t* field) {
          if (*field == 0xFFFFFFFF && v_end - v >= 8) {
            *field = le64(v);
            v += 8;
          }
        };
        take(&info.uncompressed_size);
        take(&info.compressed_size);
        take(&info.local_header_offset);
      }
      x += 4 + len;
    }
    if (flags & 1) {
      return Status::parse(display_ + ": " + info.name + ": encrypted entries are not supported");
    }
    entries_.push_back(std::move(info));
    p += 46 + name_len + extra_len + comment_len;
  }
  return Status::ok();
}

const ZipEntryInfo* ZipArchive::find(const std::string& name) const {
  for (const auto& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

Result<std::unique_ptr<ZipEntryStream>> ZipArchive::open_entry(const ZipEntryInfo& entry) {
  const std::string subject = display_ + ": " + entry.name;
  unsigned char local[30];
  if (!read_at(fd_, entry.local_header_offset, local, 30) || le32(local) != kLocalHeaderSig) {
    return Status::parse(subject + ": damaged zip archive (local header)");
  }
  const uint64_t data_offset = entry.local_header_offset + 30 + le16(local + 26) + le16(local + 28);
  if (data_offset > file_size_ || entry.compressed_size > file_size_ - data_offset) {
    return Status::parse(subject + ": truncated entry");
  }
  auto stream = std::make_unique<EntryStream>(fd_, entry, data_offset, subject);
  Status s = stream->init();
  if (!s) return s;
  return std::unique_ptr<ZipEntryStream>(std::move(stream));
}

Result<std::string> ZipArchive::read_entry(const ZipEntryInfo& entry, size_t max_bytes) {
  auto stream = open_entry(entry);
  if (!stream) return stream.status();
  std::string out;
  char buf[kChunk];
  for (;;) {
    auto n = (*stream)->read(buf, sizeof buf);
    if (!n) return n.status();
    if (*n == 0) break;
    out.append(buf, *n);
    if (out.size() > max_bytes) {
      return Status::limit(display_ + ": " + entry.name + ": larger than " +
                           std::to_string(max_bytes >> 20) + " MB");
    }
  }
  return out;
}

}  // namespace jimu::xlsx

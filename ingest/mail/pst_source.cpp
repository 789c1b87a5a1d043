#include "ingest/mail/pst_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace folio::ingest::mail {

bool MemoryPstSource::read(uint64_t offset, size_t n, std::string& out) const {
  if (offset > bytes_.size() || n > bytes_.size() - offset) return false;
  out.assign(bytes_.substr(static_cast<size_t>(offset), n));
  return true;
}

Result<std::unique_ptr<FilePstSource>> FilePstSource::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{errno == ENOENT ? ErrorKind::NotFound : ErrorKind::Io, path.string() + ": cannot open: " + std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return badInput(path.string() + ": not a regular file");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);  // B-tree pages and blocks: no read-ahead to waste
  return std::unique_ptr<FilePstSource>(new FilePstSource(fd, static_cast<uint64_t>(st.st_size)));
}

FilePstSource::~FilePstSource() { ::close(fd_); }

bool FilePstSource::read(uint64_t offset, size_t n, std::string& out) const {
  if (offset > size_ || n > size_ - offset) return false;
  out.resize(n);
  size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(fd_, out.data() + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;  // an error, or the file shrank
    done += static_cast<size_t>(got);
  }
  return true;
}

}  // namespace folio::ingest::mail

#include "engine/common/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace folio {
namespace {

std::string errnoText(const std::filesystem::path& path, const char* what) {
  return path.string() + ": " + what + ": " + std::strerror(errno);
}

// Closes a file descriptor on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() { if (fd >= 0) ::close(fd); }
};

}  // namespace

Result<std::string> readFile(const std::filesystem::path& path, size_t max_bytes) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    return Error{errno == ENOENT ? ErrorKind::NotFound : ErrorKind::Io, errnoText(path, "cannot open")};
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return ioError(errnoText(path, "cannot stat"));
  if (!S_ISREG(st.st_mode)) return badInput(path.string() + ": not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return badInput(path.string() + ": file is " + std::to_string(st.st_size) + " bytes, more than the limit of " +
                    std::to_string(max_bytes));
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(f.fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ioError(errnoText(path, "read failed"));
    if (n == 0) break;  // file shrank while reading
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

Status writeFileAtomic(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::random_device rd;
  const std::filesystem::path tmp =
      dir / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  {
    Fd f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (f.fd < 0) return ioError(errnoText(tmp, "cannot create"));
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(f.fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        Error e = ioError(errnoText(tmp, "write failed"));
        ::unlink(tmp.c_str());
        return e;
      }
      done += static_cast<size_t>(n);
    }
    if (::fsync(f.fd) != 0) {
      Error e = ioError(errnoText(tmp, "fsync failed"));
      ::unlink(tmp.c_str());
      return e;
    }
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Error e = ioError(errnoText(path, "rename failed"));
    ::unlink(tmp.c_str());
    return e;
  }
  Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd >= 0) ::fsync(d.fd);  // best effort: make the rename itself durable
  return {};
}

}  // namespace folio

#include "ui/local_path.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QFile>
#include <QUrl>
#include <cerrno>
#include <system_error>

namespace folio::ui {

std::filesystem::path localPath(const QUrl& url) {
  if (!url.isLocalFile() || !url.host().isEmpty()) return localPath(url.toLocalFile());
  return QByteArray::fromPercentEncoding(url.path(QUrl::FullyEncoded).toLatin1()).toStdString();
}

std::filesystem::path localPath(const QString& path) { return QFile::encodeName(path).toStdString(); }

QString displayPath(const std::filesystem::path& path) { return QFile::decodeName(path.native().c_str()); }

bool openForReading(QFile& file, const std::filesystem::path& path, QString* error) {
  auto fail = [error](int code) {
    *error = QString::fromStdString(std::error_code(code, std::generic_category()).message());
    return false;
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {  // open(2) accepts a directory; reading it fails later
    const int code = S_ISDIR(st.st_mode) ? EISDIR : errno;
    ::close(fd);
    return fail(code);
  }
  if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
    ::close(fd);
    *error = file.errorString();
    return false;
  }
  return true;
}

}  // namespace folio::ui

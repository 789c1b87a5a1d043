// File paths as the file system spells them. On Linux a file name is bytes and need not be UTF-8 (a
// Latin-1 name from an old archive); Qt 6 decodes such bytes lossily to U+FFFD, in QString,
// QFile::decodeName and QUrl::toLocalFile alike (no round trip back to the bytes), so a QString cannot
// name that file. These carry the bytes in a std::filesystem::path instead. POSIX only.
#pragma once

#include <QString>
#include <filesystem>

class QFile;
class QUrl;

namespace folio::ui {

// The local file a file: URL (a drop, a file dialog) names, byte for byte: the percent-encoding is
// undone without decoding UTF-8.
std::filesystem::path localPath(const QUrl& url);
// A path given as text (command line, settings, tests).
std::filesystem::path localPath(const QString& path);
// For display only: bytes that are not UTF-8 show as U+FFFD.
QString displayPath(const std::filesystem::path& path);
// Opens `path` read-only on `file` (through the bytes, not a QString). False with the reason (e.g.
// "No such file or directory", "Is a directory") in *error.
bool openForReading(QFile& file, const std::filesystem::path& path, QString* error);

}  // namespace folio::ui

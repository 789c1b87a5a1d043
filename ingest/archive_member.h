// Files inside an archive (zip, tar, tar.gz/.bz2/.xz, 7z) as documents of their own. One met in a walk (a data room's export, a
// folder sent zipped) is walked as the folder it holds: each file in it is a document whose path is the
// archive's path, '/', and the file's path inside ("/cases/dataroom.zip/Contracts/MSA.pdf"), read from
// the archive wherever Folio reads a document's bytes (the ingest, a re-read, the desktop's reader).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/common/result.h"
#include "ingest/archive_reader.h"

namespace folio::ingest {

// The name Folio gives an entry of a zip archive: UTF-8 whatever the tool that zipped it wrote, on one
// line (a name is a line of the archive's listing and of its file's opening line).
std::string archiveMemberName(std::string raw);
// Entries a zip tool adds beside the files: macOS resource forks, Finder and Explorer metadata.
bool isArchiveDebris(const std::string& name);

struct ArchiveMember {
  std::filesystem::path archive;  // the archive file
  std::string member;             // the file's path inside it, as archiveMemberName gives it
};
// Where a document path lies inside an archive: its nearest ancestor that is a regular file and an
// archive by name; nullopt for a path that is a file itself, or lies in no archive.
std::optional<ArchiveMember> archiveMemberOf(const std::filesystem::path& path);

// Reads files out of archives, keeping the last archive open with its names indexed: the files of one
// archive are read one after another, and opening it reads its whole central directory (a tar's every
// header); a tar's files read in archive order stream forward through it. One per thread (an open
// archive is not shared).
class ArchiveMemberReader {
 public:
  // The file's bytes, failing when it expands past `max_bytes` or past the size the archive states for
  // it (a zip bomb's entries understate theirs).
  Result<std::string> read(const ArchiveMember& m, uint64_t max_bytes);

 private:
  std::filesystem::path open_path_;
  std::unique_ptr<ArchiveReader> open_;
  std::unordered_map<std::string, ArchiveReader::Entry> entries_;
};

// A document's bytes: its file's, or a file's inside a zip archive (archiveMemberOf), at most
// `max_bytes`.
Result<std::string> readDocumentBytes(const std::filesystem::path& path, uint64_t max_bytes);

}  // namespace folio::ingest

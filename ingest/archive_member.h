// Files inside a zip archive as documents of their own. A zip met in a walk (a data room's export, a
// folder sent zipped) is walked as the folder it holds: each file in it is a document whose path is the
// archive's path, '/', and the file's path inside ("/cases/dataroom.zip/Contracts/MSA.pdf"), read from
// the archive wherever Folio reads a document's bytes (the ingest, a re-read, the desktop's reader).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/common/result.h"
#include "ingest/office/zip_archive.h"

namespace folio::ingest {

// The name Folio gives an entry of a zip archive: UTF-8 whatever the tool that zipped it wrote, on one
// line (a name is a line of the archive's listing and of its file's opening line).
std::string archiveMemberName(std::string raw);
// Entries a zip tool adds beside the files: macOS resource forks, Finder and Explorer metadata.
bool isArchiveDebris(const std::string& name);

struct ArchiveMember {
  std::filesystem::path archive;  // the zip file
  std::string member;             // the file's path inside it, as archiveMemberName gives it
};
// Where a document path lies inside a zip archive: its nearest ancestor that is a regular file and a zip
// archive by name; nullopt for a path that is a file itself, or lies in no archive.
std::optional<ArchiveMember> archiveMemberOf(const std::filesystem::path& path);

// Reads files out of zip archives, keeping the last archive open with its names indexed: the files of
// one archive are read one after another, and opening it reads its whole central directory. One per
// thread (an open archive is not shared).
class ArchiveMemberReader {
 public:
  // The file's bytes, failing when it expands past `max_bytes` or past the size the archive states for
  // it (a zip bomb's entries understate theirs).
  Result<std::string> read(const ArchiveMember& m, uint64_t max_bytes);

 private:
  std::filesystem::path open_path_;
  std::optional<office::ZipArchive> open_;
  std::unordered_map<std::string, office::ZipArchive::Entry> entries_;
};

// A document's bytes: its file's, or a file's inside a zip archive (archiveMemberOf), at most
// `max_bytes`.
Result<std::string> readDocumentBytes(const std::filesystem::path& path, uint64_t max_bytes);

}  // namespace folio::ingest

// One interface over the archive formats whose files Folio reads: zip (libzip, read in place by its
// central directory) and the tar family and 7-Zip (libarchive, read as a stream). The walker, the reader of
// archive members and the single-text reader (zip_extract.h) use only this, so a format's rules (bounds,
// names, what is skipped) are written once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest {

class ArchiveReader {
 public:
  struct Entry {
    uint64_t index = 0;  // what readEntry takes
    std::string name;
    uint64_t size = 0;  // as the archive states it: not trusted, reads are held to it
    bool directory = false;
    // Why the entry is not read (encrypted; a link or device, not a regular file); empty when it is.
    std::string unreadable;
  };
  virtual ~ArchiveReader() = default;
  // Entries in the archive's own order.
  virtual std::vector<Entry> entries() const = 0;
  // True for a stream (tar.gz): reading entries in archive order moves forward through it, an entry
  // before the last one read reopens it. Its files are then kept in archive order, not sorted.
  virtual bool sequential() const = 0;
  // The bytes of the entry at `index`, failing past `max_bytes`; `inflated`, when given, counts the
  // bytes decompressed whether or not it failed.
  virtual Result<std::string> readEntry(uint64_t index, uint64_t max_bytes, uint64_t* inflated = nullptr) = 0;
};

// The archive in a file, chosen by its name (a ".zip" is libzip's, the rest libarchive's).
Result<std::unique_ptr<ArchiveReader>> openArchiveFile(const std::filesystem::path& path);
// The archive in `bytes` (which must outlive it): a zip by its name or its first bytes, else libarchive's.
Result<std::unique_ptr<ArchiveReader>> openArchiveBytes(std::string_view bytes, const std::string& name);

// The files of an archive as Folio reads them: no directories or zip tools' debris, names as
// archiveMemberName gives them, the first of a name kept; in the order of their paths, or archive order
// for a stream (sequential()).
std::vector<ArchiveReader::Entry> archiveFiles(const ArchiveReader& archive);

}  // namespace folio::ingest

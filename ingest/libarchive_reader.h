// Tar archives (plain, gzip, bzip2, xz) and 7-Zip archives over libarchive, read as a stream: the listing
// reads every header once; an entry is read by moving forward to it (reopening only for one already
// passed). Untrusted input: reads are bounded as they decompress, the listing by entry count and by the
// sizes the entries state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "ingest/archive_reader.h"

namespace folio::ingest {

// Entries a listing records at most (a tar of empty files has 512 bytes of header each).
inline constexpr size_t kMaxListedEntries = 1u << 20;

Result<std::unique_ptr<ArchiveReader>> openLibArchiveFile(const std::filesystem::path& path);
// `bytes` must outlive the reader; `name` is used in messages. The listing stops, with an entry saying
// why, once the stated sizes pass `max_listed_bytes` (0: what a walk reads of an archive this size,
// kMaxArchiveExpansion or kMaxArchiveRatio times it): a compressed tar is inflated to find its headers.
Result<std::unique_ptr<ArchiveReader>> openLibArchiveBytes(std::string_view bytes, const std::string& name,
                                                          uint64_t max_listed_bytes = 0);

}  // namespace folio::ingest

// Reading the parts of a zip archive held in memory (Word .docx and OpenDocument .odt files are zip
// archives of XML parts), over libzip. Untrusted input: every part read is bounded, so a zip bomb
// (a few KiB expanding to gigabytes) fails with a reason instead of exhausting memory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/common/result.h"

namespace folio::ingest::office {

class ZipArchive {
 public:
  // Opens the archive in `bytes` (which must outlive it). `name` is used in messages.
  static Result<ZipArchive> open(std::string_view bytes, const std::string& name);

  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;
  ~ZipArchive();

  bool contains(const std::string& part) const;

  // The uncompressed bytes of `part`, or nullopt when the archive has none by that name. Fails when
  // it expands past `max_bytes` (counted as it inflates, not trusted from the header) or is corrupt.
  Result<std::optional<std::string>> read(const std::string& part, uint64_t max_bytes) const;

 private:
  struct Impl;
  explicit ZipArchive(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::ingest::office

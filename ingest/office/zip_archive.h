// Reading the parts of a zip archive held in memory (Word .docx and OpenDocument .odt files are zip
// archives of XML parts), over libzip. Untrusted input: every part read is bounded, so a zip bomb
// (a few KiB expanding to gigabytes) fails with a reason instead of exhausting memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest::office {

class ZipArchive {
 public:
  // Opens the archive in `bytes` (which must outlive it). `name` is used in messages.
  static Result<ZipArchive> open(std::string_view bytes, const std::string& name);
  // Opens the archive in a file, read in place as entries are asked for (a data room's export runs to
  // gigabytes): only its central directory is read here.
  static Result<ZipArchive> openFile(const std::filesystem::path& path);

  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;
  ~ZipArchive();

  bool contains(const std::string& part) const;

  // The archive's entries in its central directory's order: names as UTF-8 (a name stored in the old
  // DOS code page is converted), uncompressed sizes as the directory states them (not trusted: reads are
  // bounded as they inflate).
  struct Entry {
    uint64_t index = 0;  // what readEntry takes
    std::string name;
    uint64_t size = 0;
    bool directory = false;
    bool encrypted = false;
  };
  std::vector<Entry> entries() const;
  // The index of the entry named `name` as entries() names it; nullopt when there is none.
  std::optional<uint64_t> find(const std::string& name) const;
  // The uncompressed bytes of the entry at `index` (Entry::index), bounded as read() is; `inflated`, when
  // given, is how many bytes were inflated, whether or not it failed.
  Result<std::string> readEntry(uint64_t index, uint64_t max_bytes, uint64_t* inflated = nullptr) const;

  // The uncompressed bytes of `part`, or nullopt when the archive has none by that name. Fails when
  // it expands past `max_bytes` (counted as it inflates, not trusted from the header) or is corrupt.
  Result<std::optional<std::string>> read(const std::string& part, uint64_t max_bytes) const;

 private:
  struct Impl;
  explicit ZipArchive(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace folio::ingest::office

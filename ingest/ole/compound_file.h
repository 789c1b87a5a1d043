// Reading an OLE compound file (Microsoft's "Compound File Binary" format, [MS-CFB]) held in memory:
// the container of Word 97-2003 (.doc) files, Outlook messages (.msg), Excel and PowerPoint 97-2003
// files and password-protected Office 2007+ files. A compound file is a small file system: storages
// (folders) and streams (files) in a directory tree, stream bytes in chains of sectors listed in a
// file allocation table, small streams in a mini stream of 64-byte sectors.
//
// Untrusted input: every chain is followed at most as many steps as the file has sectors (a loop
// fails instead of spinning), a sector past the end of the file fails with its number, the directory
// tree is walked with each entry visited once, and a stream is read only up to the caller's bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"

namespace folio::ingest::ole {

// True when `bytes` start with a compound file's signature.
bool isCompoundFile(std::string_view bytes);

class CompoundFile {
 public:
  static constexpr uint32_t kRoot = 0;  // the root storage's entry

  struct Entry {
    uint32_t id = 0;
    std::string name;  // UTF-8
    bool storage = false;
    uint64_t size = 0;  // streams only
  };

  // Parses the header, allocation tables and directory of the file in `bytes` (which must outlive
  // it). `name` is used in messages.
  static Result<CompoundFile> open(std::string_view bytes, const std::string& name);

  // The streams and storages directly inside storage `id`, in directory order.
  std::vector<Entry> children(uint32_t id) const;
  // The child of storage `id` named `child` (compared ignoring ASCII case, as the format does).
  std::optional<Entry> child(uint32_t id, std::string_view child) const;
  // The entry at "storage/…/stream" from the root.
  std::optional<Entry> find(std::string_view path) const;

  // The bytes of a stream; fails when it is larger than `max_bytes` or its chain is broken.
  Result<std::string> read(const Entry& stream, uint64_t max_bytes) const;
  // The stream at `path`, nullopt when there is none.
  Result<std::optional<std::string>> readPath(std::string_view path, uint64_t max_bytes) const;

 private:
  struct DirEntry {
    std::string name;
    uint8_t type = 0;  // 1 storage, 2 stream, 5 root
    uint32_t left = 0, right = 0, child = 0;
    uint32_t start = 0;
    uint64_t size = 0;
  };

  CompoundFile(std::string_view bytes, std::string name) : bytes_(bytes), name_(std::move(name)) {}
  Result<void> parse();
  Result<std::string> chain(uint32_t start, uint64_t size, bool mini, const std::string& what) const;
  Entry entryOf(uint32_t id) const;

  std::string_view bytes_;
  std::string name_;
  uint32_t sector_size_ = 512;
  uint32_t mini_cutoff_ = 4096;
  uint64_t sector_count_ = 0;  // whole sectors present in the file after the header
  std::vector<uint32_t> fat_;
  std::vector<uint32_t> mini_fat_;
  std::string mini_stream_;
  std::vector<DirEntry> dir_;
};

}  // namespace folio::ingest::ole

// The content hash of a document's bytes: XXH64 (seed 0), written here from the published algorithm
// (no dependency). Fast (several GB/s), 64-bit, non-cryptographic: it detects changed files, it does
// not defend against a deliberately colliding file.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/common/result.h"

namespace folio::ingest {

uint64_t xxh64(std::string_view bytes, uint64_t seed = 0);

// xxh64 of bytes given in pieces: a mail store of many GiB is hashed as it is read, not held.
class Xxh64Stream {
 public:
  explicit Xxh64Stream(uint64_t seed = 0);
  void update(std::string_view bytes);
  uint64_t digest() const;

 private:
  uint64_t v_[4];
  uint64_t seed_, total_ = 0;
  char buffer_[32];
  size_t buffered_ = 0;
};

// contentHashHex of a file's bytes, read 1 MiB at a time (a 50 GiB store takes a minute from disk:
// `cancel` stops it, Cancelled). Errors name the file.
Result<std::string> fileContentHashHex(const std::filesystem::path& path, const std::atomic<bool>* cancel = nullptr);

// 16 lower-case hex digits of xxh64(bytes): the form stored in documents.content_hash.
std::string contentHashHex(std::string_view bytes);
std::string hashToHex(uint64_t hash);

}  // namespace folio::ingest

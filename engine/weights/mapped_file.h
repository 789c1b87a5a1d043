// A read-only memory mapping of a whole file (RAII, move-only). Model weights are read through it so that
// a 900 GB checkpoint costs address space, not memory.
#pragma once

#include <cstdint>
#include <filesystem>

#include "engine/common/result.h"

namespace folio::engine {

class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  // Maps `path` read-only. A missing file is NotFound; other failures are Io. An empty file maps to
  // size() == 0 and data() == nullptr.
  static Result<MappedFile> open(const std::filesystem::path& path);

  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }

 private:
  void release();

  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace folio::engine

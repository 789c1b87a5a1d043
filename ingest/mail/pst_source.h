// Random access to the bytes of a PST or OST: mail stores are often several GiB, so they are read a
// block at a time from the file (pread) rather than held in memory; a store attached to a message, or
// a test's, is read from memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "engine/common/result.h"

namespace folio::ingest::mail {

class PstSource {
 public:
  virtual ~PstSource() = default;
  virtual uint64_t size() const = 0;
  // Exactly `n` bytes at `offset` into `out`; false when they are not all in the file (or reading failed).
  virtual bool read(uint64_t offset, size_t n, std::string& out) const = 0;
};

class MemoryPstSource final : public PstSource {
 public:
  explicit MemoryPstSource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  bool read(uint64_t offset, size_t n, std::string& out) const override;

 private:
  std::string_view bytes_;
};

class FilePstSource final : public PstSource {
 public:
  static Result<std::unique_ptr<FilePstSource>> open(const std::filesystem::path& path);
  ~FilePstSource() override;
  FilePstSource(const FilePstSource&) = delete;
  FilePstSource& operator=(const FilePstSource&) = delete;
  uint64_t size() const override { return size_; }
  bool read(uint64_t offset, size_t n, std::string& out) const override;

 private:
  FilePstSource(int fd, uint64_t size) : fd_(fd), size_(size) {}
  int fd_;
  uint64_t size_;
};

}  // namespace folio::ingest::mail

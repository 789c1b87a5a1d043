// The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
// ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}), then the data
// section. parseSafetensorsHeader is a pure function over bytes (the fuzz target's entry point) that
// enforces the format's safety rules; SafetensorsFile maps a file and parses it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.h"
#include "engine/weights/mapped_file.h"
#include "kernels/cpu/dtype.h"

namespace folio::engine {

// The format's own bound on the JSON header (the reference implementation uses the same).
constexpr uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

struct SafetensorsEntry {
  std::string name;
  kernels::DType dtype = kernels::DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets relative to the start of the data section
  uint64_t end = 0;
};

struct SafetensorsHeader {
  uint64_t json_bytes = 0;   // N
  uint64_t data_start = 0;   // 8 + N: where the data section begins in the file
  uint64_t data_bytes = 0;   // file size − 8 − N; exactly covered by the tensors
  std::vector<SafetensorsEntry> tensors;        // sorted by begin (file order)
  std::map<std::string, std::string> metadata;  // "__metadata__"
};

// Parses and validates the header of a safetensors file of `file_size` bytes whose first bytes are
// `bytes` (at least the 8 + N header bytes; the whole file is fine). Checks: N ≤ 100 MB and ≤ file size − 8;
// valid UTF-8; a JSON object without duplicate names; dtypes F32/F16/BF16; shapes of non-negative
// integers; byte size = product(shape) × dtype size without overflow; data_offsets contiguous from 0
// without holes or overlaps and ending exactly at the end of the file. Errors start with `source`.
Result<SafetensorsHeader> parseSafetensorsHeader(std::span<const uint8_t> bytes, uint64_t file_size,
                                                 const std::string& source);

// Maps safetensors dtype names; nullopt-like false for names outside F32/F16/BF16.
bool safetensorsDType(std::string_view name, kernels::DType* out);

// Offset of the first byte that is not part of valid UTF-8 (overlongs, surrogates and code points past
// U+10FFFF are invalid), or bytes.size() when all of it is valid.
size_t firstInvalidUtf8(std::span<const uint8_t> bytes);

// A mapped, validated safetensors file.
class SafetensorsFile {
 public:
  static Result<SafetensorsFile> open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  const SafetensorsHeader& header() const { return header_; }
  uint64_t fileSize() const { return map_.size(); }
  // The raw header (length prefix + JSON), e.g. for hashing the file's identity.
  std::span<const uint8_t> headerBytes() const { return {map_.data(), static_cast<size_t>(header_.data_start)}; }
  // The bytes of one of this file's tensors.
  const void* tensorData(const SafetensorsEntry& e) const { return map_.data() + header_.data_start + e.begin; }

 private:
  std::filesystem::path path_;
  MappedFile map_;
  SafetensorsHeader header_;
};

}  // namespace folio::engine

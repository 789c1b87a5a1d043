// Bounded little-endian reads of Word 97-2003 (.doc) structures: every read of untrusted bytes goes
// through these, and one past the end reads as 0 (callers check `has` where 0 would be misread).
#pragma once

#include <cstdint>
#include <string_view>

namespace folio::ingest::office {

struct DocBytes {
  std::string_view data;

  bool has(uint64_t at, uint64_t n) const { return at <= data.size() && n <= data.size() - at; }
  uint8_t u8(uint64_t at) const { return has(at, 1) ? static_cast<uint8_t>(data[at]) : 0; }
  uint16_t u16(uint64_t at) const {
    return has(at, 2) ? static_cast<uint16_t>(u8(at) | u8(at + 1) << 8) : 0;
  }
  uint32_t u32(uint64_t at) const {
    return has(at, 4) ? static_cast<uint32_t>(u16(at)) | static_cast<uint32_t>(u16(at + 2)) << 16 : 0;
  }
  int16_t i16(uint64_t at) const { return static_cast<int16_t>(u16(at)); }
  int32_t i32(uint64_t at) const { return static_cast<int32_t>(u32(at)); }
  // The bytes [at, at + n) clipped to the data.
  std::string_view sub(uint64_t at, uint64_t n) const {
    if (at >= data.size()) return {};
    return data.substr(at, n);
  }
};

}  // namespace folio::ingest::office

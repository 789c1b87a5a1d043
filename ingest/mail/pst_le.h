// Little-endian reads for the PST reader; the caller has checked that the bytes are there.
#pragma once

#include <cstdint>
#include <string_view>

namespace folio::ingest::mail {

inline uint16_t le16(std::string_view b, size_t at) {
  return static_cast<uint16_t>(static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8);
}
inline uint32_t le32(std::string_view b, size_t at) { return le16(b, at) | static_cast<uint32_t>(le16(b, at + 2)) << 16; }
inline uint64_t le64(std::string_view b, size_t at) { return le32(b, at) | static_cast<uint64_t>(le32(b, at + 4)) << 32; }
// An id of the file's width: 8 bytes in a Unicode store, 4 in an ANSI one.
inline uint64_t leId(std::string_view b, size_t at, bool unicode) { return unicode ? le64(b, at) : le32(b, at); }

}  // namespace folio::ingest::mail

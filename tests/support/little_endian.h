// Little-endian integers written into test files (OLE compound files, Word binary structures, TIFF).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace folio::test {

inline void put16le(std::string& b, size_t at, uint32_t v) {
  b[at] = static_cast<char>(v & 0xFF);
  b[at + 1] = static_cast<char>((v >> 8) & 0xFF);
}

inline void put32le(std::string& b, size_t at, uint32_t v) {
  put16le(b, at, v & 0xFFFF);
  put16le(b, at + 2, v >> 16);
}

inline void append32le(std::string& b, uint32_t v) {
  b.resize(b.size() + 4);
  put32le(b, b.size() - 4, v);
}

}  // namespace folio::test

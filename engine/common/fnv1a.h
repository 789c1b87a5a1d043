// 64-bit FNV-1a: the small stable hash behind config hashes, token-history hashes and snapshot
// checksums (integrity against truncation and bit flips, not a security boundary).
#pragma once

#include <cstddef>
#include <cstdint>

namespace folio::engine {

inline constexpr uint64_t kFnv1a64Offset = 0xcbf29ce484222325ull;

// Continues the hash `h` over n bytes at `data`.
inline uint64_t fnv1a64(const void* data, size_t n, uint64_t h = kFnv1a64Offset) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

}  // namespace folio::engine

// Element types of weights and activations, and scalar conversions between them.
// bf16 and f16 are stored as raw uint16_t bits; conversions round to nearest even.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace folio::kernels {

enum class DType : uint8_t { F32, F16, BF16, I8 };

constexpr size_t dtypeSize(DType t) {
  switch (t) {
    case DType::F32: return 4;
    case DType::F16: return 2;
    case DType::BF16: return 2;
    case DType::I8: return 1;
  }
  return 0;
}

std::string_view dtypeName(DType t);

inline float bf16ToF32(uint16_t bits) {
  uint32_t u = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

inline uint16_t f32ToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40);  // quiet NaN
  u += 0x7fffu + ((u >> 16) & 1u);                                                      // round to nearest even
  return static_cast<uint16_t>(u >> 16);
}

float f16ToF32(uint16_t bits);
uint16_t f32ToF16(float f);

// Converts n elements of type `src_type` at `src` to f32.
void convertToF32(DType src_type, const void* src, float* dst, size_t n);

}  // namespace folio::kernels

// AVX-512F helpers and the SIMD traits (16 fp32 lanes) the generic kernel bodies (simd_matmul.h,
// simd_gemm.h) take. Only include from files that dispatch at run time; everything here is compiled
// for AVX-512F (avx512_target.h).
#pragma once

#include <cstdint>

#include "kernels/cpu/avx512_target.h"
#include "kernels/cpu/dtype.h"

#if FOLIO_HAVE_X86
FOLIO_AVX512_BEGIN
namespace folio::kernels::avx512 {

// Sum of the 16 lanes in a fixed order (halves, then the 8-lane tree of avx2::hsum).
static inline float hsum(__m512 v) {
  const __m256 lo = _mm512_castps512_ps256(v);
  const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
  const __m256 h = _mm256_add_ps(lo, hi);
  __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  __m128 sh = _mm_movehdup_ps(q);
  __m128 s = _mm_add_ps(q, sh);
  sh = _mm_movehl_ps(sh, s);
  s = _mm_add_ss(s, sh);
  return _mm_cvtss_f32(s);
}

struct Simd {
  using V = __m512;
  using Mask = __mmask16;
  static constexpr int64_t kLanes = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static V loadMasked(const float* p, Mask m) { return _mm512_maskz_loadu_ps(m, p); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static void storeMasked(float* p, Mask m, V v) { _mm512_mask_storeu_ps(p, m, v); }
  // lanes [0, n) set (n clamped to 0..16)
  static Mask mask(int64_t n) {
    return n <= 0 ? Mask(0) : n >= 16 ? Mask(0xFFFF) : static_cast<Mask>((1u << static_cast<unsigned>(n)) - 1u);
  }
  static V broadcast(const float* p) { return _mm512_set1_ps(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static float sum(V v) { return hsum(v); }
  // 16 weights at element index k of a row, as fp32 (bf16 by shift, f16 by vcvtph2ps, int8 unscaled).
  template <DType DT>
  static V widen(const void* row, int64_t k) {
    if constexpr (DT == DType::F32) {
      return _mm512_loadu_ps(static_cast<const float*>(row) + k);
    } else if constexpr (DT == DType::BF16) {
      const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(row) + k));
      return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    } else if constexpr (DT == DType::F16) {
      return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(static_cast<const uint16_t*>(row) + k)));
    } else {
      const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(static_cast<const int8_t*>(row) + k));
      return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(b));
    }
  }
};

}  // namespace folio::kernels::avx512
FOLIO_AVX512_END
#endif

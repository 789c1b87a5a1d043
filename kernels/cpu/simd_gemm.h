// The body of the small dense fp32 matrix products of the blocked kernels (avx2_gemm.h, avx512_gemm.h):
// C[M, N] = (or +=) A[M, K] · B[K, N], row-major with leading dimensions, on an outer-product
// micro-kernel of MR rows × 2·S::kLanes columns. Generic over SIMD traits S (avx2::Simd, avx512::Simd);
// include it only inside one level's target region, after every standard header (see simd_matmul.h).
#pragma once

#include <algorithm>
#include <cstdint>

namespace folio::kernels::simd {

// MR rows × 2·kLanes columns (two vectors masked by m0, m1): the outer-product micro-kernel.
template <class S, int MR, bool Full>
inline void micro(int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C, int64_t ldc,
                  typename S::Mask m0, typename S::Mask m1, bool accumulate) {
  using V = typename S::V;
  constexpr int64_t L = S::kLanes;
  // the loops over r are unrolled before scalar replacement, so the 2·MR accumulators live in registers
  // (without it GCC 12 keeps c0/c1 in memory and stores all of them on every k, halving the rate)
  V c0[MR], c1[MR];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) c0[r] = c1[r] = S::zero();
  for (int64_t k = 0; k < K; ++k) {
    const V b0 = Full ? S::load(B + k * ldb) : S::loadMasked(B + k * ldb, m0);
    const V b1 = Full ? S::load(B + k * ldb + L) : S::loadMasked(B + k * ldb + L, m1);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const V a = S::broadcast(A + r * lda + k);
      c0[r] = S::fma(a, b0, c0[r]);
      c1[r] = S::fma(a, b1, c1[r]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
    float* cr = C + r * ldc;
    if (accumulate) {
      c0[r] = S::add(c0[r], S::loadMasked(cr, m0));
      c1[r] = S::add(c1[r], S::loadMasked(cr + L, m1));
    }
    S::storeMasked(cr, m0, c0[r]);
    S::storeMasked(cr + L, m1, c1[r]);
  }
}

// Rows [0, M) of one column panel: blocks of MR rows, then one block of each smaller size that remains.
template <class S, int MR, bool Full>
inline void panel(int64_t M, int64_t kc, const float* A, int64_t lda, const float* Bj, int64_t ldb, float* Cj,
                  int64_t ldc, typename S::Mask m0, typename S::Mask m1, bool acc) {
  int64_t i = 0;
  for (; i + MR <= M; i += MR) micro<S, MR, Full>(kc, A + i * lda, lda, Bj, ldb, Cj + i * ldc, ldc, m0, m1, acc);
  if constexpr (MR > 1) {
    if (i < M) panel<S, MR - 1, Full>(M - i, kc, A + i * lda, lda, Bj, ldb, Cj + i * ldc, ldc, m0, m1, acc);
  }
}

template <class S, int MR>
void gemmF32(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
             int64_t ldc, bool accumulate) {
  constexpr int64_t kKc = 256;  // K panel kept in L1/L2 across the row sweep
  constexpr int64_t kCols = 2 * S::kLanes;
  for (int64_t k0 = 0; k0 < K; k0 += kKc) {
    const int64_t kc = std::min(kKc, K - k0);
    const bool acc = accumulate || k0 > 0;
    for (int64_t j = 0; j < N; j += kCols) {
      const typename S::Mask m0 = S::mask(N - j), m1 = S::mask(N - j - S::kLanes);
      const float* Bj = B + k0 * ldb + j;
      if (N - j >= kCols) {
        panel<S, MR, true>(M, kc, A + k0, lda, Bj, ldb, C + j, ldc, m0, m1, acc);
      } else {
        panel<S, MR, false>(M, kc, A + k0, lda, Bj, ldb, C + j, ldc, m0, m1, acc);
      }
    }
  }
}

}  // namespace folio::kernels::simd

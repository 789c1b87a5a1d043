#include "kernels/cpu/avx2_gemm.h"

#include <algorithm>

#include "kernels/cpu/avx2_math.h"

#if FOLIO_HAVE_X86
FOLIO_AVX2_BEGIN
namespace folio::kernels::avx2 {
namespace {

// MR rows × 16 columns (two 8-lane vectors masked by m0, m1): the outer-product micro-kernel.
template <int MR, bool Full>
inline void micro(int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C, int64_t ldc,
                  __m256i m0, __m256i m1, bool accumulate) {
  // the loops over r are unrolled before scalar replacement, so the 2·MR accumulators live in registers
  // (without it GCC 12 keeps c0/c1 in memory and stores all of them on every k, halving the rate)
  __m256 c0[MR], c1[MR];
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) c0[r] = c1[r] = _mm256_setzero_ps();
  for (int64_t k = 0; k < K; ++k) {
    const __m256 b0 = Full ? _mm256_loadu_ps(B + k * ldb) : _mm256_maskload_ps(B + k * ldb, m0);
    const __m256 b1 = Full ? _mm256_loadu_ps(B + k * ldb + 8) : _mm256_maskload_ps(B + k * ldb + 8, m1);
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) {
      const __m256 a = _mm256_broadcast_ss(A + r * lda + k);
      c0[r] = _mm256_fmadd_ps(a, b0, c0[r]);
      c1[r] = _mm256_fmadd_ps(a, b1, c1[r]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    float* cr = C + r * ldc;
    if (accumulate) {
      c0[r] = _mm256_add_ps(c0[r], _mm256_maskload_ps(cr, m0));
      c1[r] = _mm256_add_ps(c1[r], _mm256_maskload_ps(cr + 8, m1));
    }
    _mm256_maskstore_ps(cr, m0, c0[r]);
    _mm256_maskstore_ps(cr + 8, m1, c1[r]);
  }
}

template <bool Full>
void panel(int64_t M, int64_t kc, const float* A, int64_t lda, const float* Bj, int64_t ldb, float* Cj, int64_t ldc,
           __m256i m0, __m256i m1, bool acc) {
  int64_t i = 0;
  for (; i + 6 <= M; i += 6) micro<6, Full>(kc, A + i * lda, lda, Bj, ldb, Cj + i * ldc, ldc, m0, m1, acc);
  const float* Ai = A + i * lda;
  float* Ci = Cj + i * ldc;
  switch (M - i) {
    case 5: micro<5, Full>(kc, Ai, lda, Bj, ldb, Ci, ldc, m0, m1, acc); break;
    case 4: micro<4, Full>(kc, Ai, lda, Bj, ldb, Ci, ldc, m0, m1, acc); break;
    case 3: micro<3, Full>(kc, Ai, lda, Bj, ldb, Ci, ldc, m0, m1, acc); break;
    case 2: micro<2, Full>(kc, Ai, lda, Bj, ldb, Ci, ldc, m0, m1, acc); break;
    case 1: micro<1, Full>(kc, Ai, lda, Bj, ldb, Ci, ldc, m0, m1, acc); break;
    default: break;
  }
}

}  // namespace

void gemmF32(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
             int64_t ldc, bool accumulate) {
  constexpr int64_t kKc = 256;  // K panel kept in L1/L2 across the row sweep
  for (int64_t k0 = 0; k0 < K; k0 += kKc) {
    const int64_t kc = std::min(kKc, K - k0);
    const bool acc = accumulate || k0 > 0;
    for (int64_t j = 0; j < N; j += 16) {
      const __m256i m0 = laneMask(N - j), m1 = laneMask(N - j - 8);
      const float* Bj = B + k0 * ldb + j;
      if (N - j >= 16) {
        panel<true>(M, kc, A + k0, lda, Bj, ldb, C + j, ldc, m0, m1, acc);
      } else {
        panel<false>(M, kc, A + k0, lda, Bj, ldb, C + j, ldc, m0, m1, acc);
      }
    }
  }
}

}  // namespace folio::kernels::avx2
FOLIO_AVX2_END
#endif

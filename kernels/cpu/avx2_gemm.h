// Small dense fp32 matrix products for the blocked kernels (lightning prefill, softmax attention):
// C[M, N] = (or +=) A[M, K] · B[K, N], all row-major with leading dimensions. AVX2/FMA only: call from
// AVX2 code paths. The AVX-512 form (avx512_gemm.h) has the same signature, GemmF32Fn, so the blocked
// kernels take the product as a parameter and run at either level.
#pragma once

#include <cstdint>

namespace folio::kernels {

using GemmF32Fn = void (*)(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb,
                           float* C, int64_t ldc, bool accumulate);

namespace avx2 {
void gemmF32(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
             int64_t ldc, bool accumulate);
}  // namespace avx2

}  // namespace folio::kernels

// Small dense fp32 matrix products for the blocked kernels (lightning prefill): C[M, N] = (or +=)
// A[M, K] · B[K, N], all row-major with leading dimensions. AVX2/FMA only: call from AVX2 code paths.
#pragma once

#include <cstdint>

namespace folio::kernels::avx2 {

void gemmF32(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
             int64_t ldc, bool accumulate);

}  // namespace folio::kernels::avx2

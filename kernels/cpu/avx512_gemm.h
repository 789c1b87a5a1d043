// The small dense fp32 matrix products of avx2_gemm.h on 16-lane AVX-512F vectors (a GemmF32Fn). Call
// only where cpuSupports(Avx512) (kernel_level.h).
#pragma once

#include <cstdint>

#include "kernels/cpu/avx2_gemm.h"

namespace folio::kernels::avx512 {

void gemmF32(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
             int64_t ldc, bool accumulate);

}  // namespace folio::kernels::avx512

#include "kernels/cpu/avx2_gemm.h"

#include <algorithm>

#include "kernels/cpu/avx2_math.h"

#if FOLIO_HAVE_X86
FOLIO_AVX2_BEGIN
#include "kernels/cpu/simd_gemm.h"

namespace folio::kernels::avx2 {

// 6 rows × 16 columns: 12 accumulators, 2 B vectors and a broadcast of the 16 ymm registers
void gemmF32(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
             int64_t ldc, bool accumulate) {
  simd::gemmF32<Simd, 6>(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
}

}  // namespace folio::kernels::avx2
FOLIO_AVX2_END
#endif

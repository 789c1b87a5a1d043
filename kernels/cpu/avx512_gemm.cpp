#include "kernels/cpu/avx512_gemm.h"

#include <algorithm>

#include "kernels/cpu/avx512_math.h"

#if FOLIO_HAVE_X86
FOLIO_AVX512_BEGIN
#include "kernels/cpu/simd_gemm.h"

namespace folio::kernels::avx512 {

// 8 rows × 32 columns: 16 accumulators of the 32 zmm registers (on Zen 5, 64×64×64 products ran at
// 1.1× the speed of 6 rows and 64×128×128 at 1.3×; 10 and 12 rows were no faster)
constexpr int kRows = 8;

void gemmF32(int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
             int64_t ldc, bool accumulate) {
  simd::gemmF32<Simd, kRows>(M, N, K, A, lda, B, ldb, C, ldc, accumulate);
}

}  // namespace folio::kernels::avx512
FOLIO_AVX512_END
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/cpu/matmul.h"
#include "kernels/cpu/avx512_math.h"

#if FOLIO_HAVE_X86
FOLIO_AVX512_BEGIN
#include "kernels/cpu/simd_matmul.h"

namespace folio::kernels::avx512 {

// 6 rows × 4 tokens: 24 accumulators of the 32 zmm registers, each weight vector used by 4 tokens and
// each x vector by 6 rows (on Zen 5, 4 × 3 and 8 × 3 ran at 0.8× the AVX2 kernel, 6 × 4 at 1.8×)
constexpr int kRows = 6;
constexpr int kTokens = 4;

void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
  simd::matmulRows<Simd, kRows, kTokens>(x, T, w, y, n_begin, n_end);
}

}  // namespace folio::kernels::avx512
FOLIO_AVX512_END
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/cpu/kernel_level.h"
#include "kernels/cpu/matmul.h"
#include "kernels/cpu/avx2_math.h"

namespace folio::kernels {

void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
#if FOLIO_HAVE_X86
  switch (kernelLevel()) {
    case KernelLevel::Avx512: return avx512::matmulRows(x, T, w, y, n_begin, n_end);
    case KernelLevel::Avx2: return avx2::matmulRows(x, T, w, y, n_begin, n_end);
    case KernelLevel::Reference: break;
  }
#endif
  ref::matmulRows(x, T, w, y, n_begin, n_end);
}

}  // namespace folio::kernels

#if FOLIO_HAVE_X86
FOLIO_AVX2_BEGIN
#include "kernels/cpu/simd_matmul.h"

namespace folio::kernels::avx2 {

// 4 rows × 3 tokens: 12 accumulators of the 16 ymm registers
void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
  simd::matmulRows<Simd, 4, 3>(x, T, w, y, n_begin, n_end);
}

}  // namespace folio::kernels::avx2
FOLIO_AVX2_END
#endif

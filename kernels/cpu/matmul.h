// Dispatched matrix products against weights in any weight dtype (F32, BF16, F16, I8 with per-row
// scales): the AVX-512 or AVX2/FMA kernel of the process's level (kernel_level.h), else the plain
// reference (ref_matmul.h). Both optimised levels run the same algorithm (simd_matmul.h).
// Same contract as ref::matmulRows: y[t, n] for n in [n_begin, n_end) only, and each y[t, n] is
// computed the same way whatever T and the range are (results do not depend on the thread split).
// Dimension letters: T tokens (rows of x), K input features, N output features (rows of W).
#pragma once

#include <cstdint>

#include "kernels/cpu/ref_matmul.h"

namespace folio::kernels {

using ref::WeightMatrix;

namespace avx2 {
// x [T, K], y [T, N] row-major. Conversion on the fly (bf16 by shift, f16 by F16C, int8 then the row
// scale), fp32 accumulation in 8 lanes per output, register blocks of 4 rows × 3 tokens, tokens tiled
// so each weight row is read from memory once per tile.
void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end);
}  // namespace avx2

namespace avx512 {
// As avx2::matmulRows with 16 lanes per output (AVX-512F; call only where cpuSupports(Avx512)).
void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end);
}  // namespace avx512

void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end);

}  // namespace folio::kernels

// Plain reference matrix multiply against a weight matrix stored in any weight dtype:
// y[T, N] = x[T, K] · W[N, K]ᵀ, W converted to fp32 on the fly, fp32 accumulation.
// Dimension letters: T tokens (rows of x), K input features, N output features (rows of W).
#pragma once

#include <cstdint>

#include "kernels/cpu/dtype.h"

namespace folio::kernels::ref {

// A weight matrix W [N, K] in torch Linear layout ([out, in], row-major). For I8 weights `row_scales`
// holds one fp32 scale per row (w = scale · int8); it is ignored for the other dtypes.
struct WeightMatrix {
  DType dtype = DType::F32;
  const void* data = nullptr;
  int64_t rows = 0;  // N
  int64_t cols = 0;  // K
  const float* row_scales = nullptr;  // [N], I8 only
};

// y[t, n] = Σ_k x[t, k] · W[n, k] for the output columns n in [n_begin, n_end) only; the other columns
// of y are left untouched, so disjoint ranges may run on different threads. x [T, K], y [T, N], both
// row-major and contiguous. Each y[t, n] is computed the same way whatever T and the range are.
void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end);

// All N output columns.
inline void matmul(const float* x, int64_t T, const WeightMatrix& w, float* y) {
  matmulRows(x, T, w, y, 0, w.rows);
}

// Row n of W as fp32 (dst [K]).
void weightRowToF32(const WeightMatrix& w, int64_t n, float* dst);

}  // namespace folio::kernels::ref

#include "kernels/cpu/ref_matmul.h"

#include <algorithm>
#include <cstdint>

namespace folio::kernels::ref {
namespace {

constexpr int64_t kBlockK = 256;  // W is converted to fp32 in blocks of this many columns

// dst[0, n) = W[row, k0 .. k0+n) as fp32.
void convertBlock(const WeightMatrix& w, int64_t row, int64_t k0, int64_t n, float* dst) {
  const size_t esize = dtypeSize(w.dtype);
  const auto* src = static_cast<const unsigned char*>(w.data) + (static_cast<size_t>(row * w.cols + k0) * esize);
  convertToF32(w.dtype, src, dst, static_cast<size_t>(n));
  if (w.dtype == DType::I8) {
    const float scale = w.row_scales ? w.row_scales[row] : 1.0f;
    for (int64_t i = 0; i < n; ++i) dst[i] *= scale;
  }
}

}  // namespace

void weightRowToF32(const WeightMatrix& w, int64_t n, float* dst) {
  for (int64_t k0 = 0; k0 < w.cols; k0 += kBlockK) convertBlock(w, n, k0, std::min(kBlockK, w.cols - k0), dst + k0);
}

void matmulRows(const float* x, int64_t T, const WeightMatrix& w, float* y, int64_t n_begin, int64_t n_end) {
  const int64_t K = w.cols, N = w.rows;
  float wblock[kBlockK];  // [kBlockK] one block of a W row in fp32
  // F32 weights are read in place when aligned (mapped files only promise 2-byte alignment)
  const bool f32_aligned = w.dtype == DType::F32 && reinterpret_cast<uintptr_t>(w.data) % alignof(float) == 0;
  for (int64_t n = n_begin; n < n_end; ++n) {
    for (int64_t t = 0; t < T; ++t) y[t * N + n] = 0.0f;
    for (int64_t k0 = 0; k0 < K; k0 += kBlockK) {
      const int64_t kn = std::min(kBlockK, K - k0);
      if (f32_aligned) {
        // no conversion needed; still sum block by block so every dtype accumulates in the same order
        const float* wr = static_cast<const float*>(w.data) + n * K + k0;
        for (int64_t t = 0; t < T; ++t) {
          const float* xr = x + t * K + k0;
          float acc = 0.0f;
          for (int64_t i = 0; i < kn; ++i) acc += xr[i] * wr[i];
          y[t * N + n] += acc;
        }
        continue;
      }
      convertBlock(w, n, k0, kn, wblock);
      for (int64_t t = 0; t < T; ++t) {
        const float* xr = x + t * K + k0;
        float acc = 0.0f;
        for (int64_t i = 0; i < kn; ++i) acc += xr[i] * wblock[i];
        y[t * N + n] += acc;
      }
    }
  }
}

}  // namespace folio::kernels::ref

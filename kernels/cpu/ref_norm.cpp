#include "kernels/cpu/ref_norm.h"

#include <cmath>

namespace folio::kernels::ref {

void rmsNorm(const float* x, int64_t T, int64_t N, const float* w, float eps, float* y) {
  for (int64_t t = 0; t < T; ++t) {
    const float* xr = x + t * N;
    float* yr = y + t * N;
    float ss = 0.0f;
    for (int64_t i = 0; i < N; ++i) ss += xr[i] * xr[i];
    const float inv = 1.0f / std::sqrt(ss / static_cast<float>(N) + eps);
    for (int64_t i = 0; i < N; ++i) yr[i] = xr[i] * inv * w[i];
  }
}

}  // namespace folio::kernels::ref

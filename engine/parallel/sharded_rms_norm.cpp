#include "engine/parallel/sharded_rms_norm.h"

#include <cmath>

namespace folio::engine {

Status shardedRmsNorm(const float* x, int64_t T, int64_t Nr, int64_t N, const float* w, float eps, float* y,
                      float* ss, Comm& comm) {
  for (int64_t t = 0; t < T; ++t) {
    const float* xr = x + t * Nr;
    float s = 0.0f;
    for (int64_t i = 0; i < Nr; ++i) s += xr[i] * xr[i];
    ss[t] = s;
  }
  FOLIO_TRY(comm.allReduceSum(ss, T));
  for (int64_t t = 0; t < T; ++t) {
    const float inv = 1.0f / std::sqrt(ss[t] / static_cast<float>(N) + eps);
    const float* xr = x + t * Nr;
    float* yr = y + t * Nr;
    for (int64_t i = 0; i < Nr; ++i) yr[i] = xr[i] * inv * w[i];
  }
  return {};
}

}  // namespace folio::engine

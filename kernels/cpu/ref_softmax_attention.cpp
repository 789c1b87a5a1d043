#include "kernels/cpu/ref_softmax_attention.h"

#include <cmath>

#include "kernels/cpu/ref_softmax.h"

namespace folio::kernels::ref {

void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scores) {
  const int64_t group = H / KV;
  const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
  for (int64_t h = h_begin; h < h_end; ++h) {
    const int64_t kvh = h / group;
    for (int64_t t = 0; t < T; ++t) {
      const float* qh = q + (t * H + h) * D;  // [D]
      const int64_t n = p0 + t + 1;           // visible positions
      for (int64_t p = 0; p < n; ++p) {
        const float* kp = kcache + (p * KV + kvh) * D;  // [D]
        float dot = 0.0f;
        for (int64_t d = 0; d < D; ++d) dot += qh[d] * kp[d];
        scores[p] = dot * scale;
      }
      softmaxRow(scores, n);
      float* oh = out + (t * H + h) * D;  // [D]
      for (int64_t d = 0; d < D; ++d) oh[d] = 0.0f;
      for (int64_t p = 0; p < n; ++p) {
        const float w = scores[p];
        const float* vp = vcache + (p * KV + kvh) * D;  // [D]
        for (int64_t d = 0; d < D; ++d) oh[d] += w * vp[d];
      }
    }
  }
}

}  // namespace folio::kernels::ref

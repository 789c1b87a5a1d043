#include "kernels/cpu/ref_rope.h"

#include <cmath>

namespace folio::kernels::ref {

void ropeNeox(float* x, int64_t T, int64_t N, int64_t D, int64_t rotary_dim, double theta, int64_t pos0) {
  const int64_t half = rotary_dim / 2;
  for (int64_t t = 0; t < T; ++t) {
    const double pos = static_cast<double>(pos0 + t);
    for (int64_t i = 0; i < half; ++i) {
      const double inv_freq = std::pow(theta, -2.0 * static_cast<double>(i) / static_cast<double>(rotary_dim));
      const double angle = pos * inv_freq;
      const float c = static_cast<float>(std::cos(angle));
      const float s = static_cast<float>(std::sin(angle));
      for (int64_t n = 0; n < N; ++n) {
        float* xh = x + (t * N + n) * D;  // [D] one head
        const float a = xh[i], b = xh[i + half];
        xh[i] = a * c - b * s;
        xh[i + half] = b * c + a * s;
      }
    }
  }
}

}  // namespace folio::kernels::ref

// Plain reference RMSNorm: y = x / sqrt(mean(x²) + eps) · w, mean of squares in fp32.
// Dimension letters: T rows, N normalised features.
#pragma once

#include <cstdint>

namespace folio::kernels::ref {

// x [T, N] -> y [T, N] (y may alias x); w [N].
void rmsNorm(const float* x, int64_t T, int64_t N, const float* w, float eps, float* y);

}  // namespace folio::kernels::ref

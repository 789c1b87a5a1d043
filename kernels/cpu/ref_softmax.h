// Plain reference softmax over one row (max-subtracted, fp32).
#pragma once

#include <cstdint>

namespace folio::kernels::ref {

// x[0, n) <- softmax(x[0, n)); n ≥ 1. Entries equal to −inf get probability 0.
void softmaxRow(float* x, int64_t n);

}  // namespace folio::kernels::ref

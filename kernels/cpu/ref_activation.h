// Plain reference element-wise activations (fp32, in place or into an output).
#pragma once

#include <cstdint>

namespace folio::kernels::ref {


// x[i] = x[i] · σ(x[i])
void silu(float* x, int64_t n);
// out[i] = silu(gate[i]) · up[i] (out may alias gate or up)
void siluMul(const float* gate, const float* up, float* out, int64_t n);
// x[i] = 1 / (1 + e^{−x[i]})
void sigmoid(float* x, int64_t n);

}  // namespace folio::kernels::ref

// Plain reference partial NeoX rotary position embedding.
// Dimension letters: T tokens, N heads, D head dim.
#pragma once

#include <cstdint>

namespace folio::kernels::ref {

// Rotates the first `rotary_dim` dims of every head of x [T, N, D] in place; token t sits at absolute
// position pos0 + t. inv_freq_i = θ^(−2i/rd), angle = position · inv_freq_i (in double), and
// x' = x·cos + rotate_half(x)·sin with rotate_half pairing dims i and i + rd/2; dims ≥ rd pass through.
void ropeNeox(float* x, int64_t T, int64_t N, int64_t D, int64_t rotary_dim, double theta, int64_t pos0);

}  // namespace folio::kernels::ref

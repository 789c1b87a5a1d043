// Dispatched RMSNorm, activations and RoPE: AVX2/FMA at the AVX2 and AVX-512 levels (kernel_level.h),
// else the plain references
// (ref_norm.h, ref_activation.h, ref_rope.h), with the same signatures and semantics.
// Dimension letters: T rows/tokens, N features or heads, D head dim.
#pragma once

#include <cstdint>

namespace folio::kernels {

namespace avx2 {
void rmsNorm(const float* x, int64_t T, int64_t N, const float* w, float eps, float* y);
void silu(float* x, int64_t n);
void siluMul(const float* gate, const float* up, float* out, int64_t n);
void sigmoid(float* x, int64_t n);
void ropeNeox(float* x, int64_t T, int64_t N, int64_t D, int64_t rotary_dim, double theta, int64_t pos0);
}  // namespace avx2

// x [T, N] -> y [T, N] (y may alias x); w [N]. y = x / sqrt(mean(x²) + eps) · w.
void rmsNorm(const float* x, int64_t T, int64_t N, const float* w, float eps, float* y);
void silu(float* x, int64_t n);                                      // x · σ(x) in place
void siluMul(const float* gate, const float* up, float* out, int64_t n);  // silu(gate) · up
void sigmoid(float* x, int64_t n);                                   // σ(x) in place
// Partial NeoX RoPE of x [T, N, D] in place (see ref_rope.h).
void ropeNeox(float* x, int64_t T, int64_t N, int64_t D, int64_t rotary_dim, double theta, int64_t pos0);

}  // namespace folio::kernels

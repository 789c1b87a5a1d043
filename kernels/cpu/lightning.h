// Dispatched lightning attention for one head (see ref_lightning.h for the definition, the state layout
// and the deferred decode decay). The optimised prefill runs each block as dense products (on the AVX2
// or the AVX-512 micro-kernel, by the process's level; the rest of the block is AVX2 at both levels):
//   O  = diag(e^{−s(j+1)}) · (Q S)  +  (M ⊙ Q Kᵀ) · V     with M[j, i] = e^{−s(j−i)} for i ≤ j, else 0
//   S ← e^{−s·m} S + (diag(e^{−s(m−1−j)}) K)ᵀ · V
// with its own block size (the function does not depend on it). Dimension letters: T tokens, D head dim.
#pragma once

#include <cstdint>

namespace folio::kernels {

// Scratch floats lightningPrefillHead needs for head dim D (one buffer per concurrent caller).
int64_t lightningPrefillScratch(int64_t D);

namespace avx2 {
constexpr int64_t kLightningBlock = 64;
void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                          float* state, int32_t* pending, float* out, int64_t ldo, float* scratch);
void lightningDecodeHead(const float* q, const float* k, const float* v, int64_t D, double s, float* state,
                         int32_t* pending, float* out);
}  // namespace avx2

namespace avx512 {
// As avx2::lightningPrefillHead with its products on the AVX-512F micro-kernel (avx512_gemm.h).
void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                          float* state, int32_t* pending, float* out, int64_t ldo, float* scratch);
}  // namespace avx512

// As ref::lightningPrefillHead; `scratch` holds lightningPrefillScratch(D) floats.
void lightningPrefillHead(const float* q, const float* k, const float* v, int64_t ld, int64_t T, int64_t D, double s,
                          float* state, int32_t* pending, float* out, int64_t ldo, float* scratch);
// As ref::lightningDecodeHead.
void lightningDecodeHead(const float* q, const float* k, const float* v, int64_t D, double s, float* state,
                         int32_t* pending, float* out);

}  // namespace folio::kernels

// Dispatched causal grouped-query softmax attention (same contract as ref_softmax_attention.h). The AVX2
// and AVX-512 versions walk the cache in tiles of keys with an online softmax (running max and sum per
// query), so no score row of the whole context is materialised. For a chunk of tokens, the heads of one
// kv-head and a block of tokens form one matrix of query rows, and S = Q·Kᵀ, O += P·V run as small matrix
// products (each key and value row read once per block; the AVX-512 level runs those products on its
// own micro-kernel); a single token takes per-query tiles.
// Dimension letters: T new tokens, H query heads, KV kv-heads, D head dim.
#pragma once

#include <cstdint>

namespace folio::kernels {

namespace avx2 {
int64_t blockedAttentionScratch(int64_t D);
void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scratch);
}  // namespace avx2

namespace avx512 {
// As avx2::softmaxAttention with the blocked products on the AVX-512F micro-kernel (avx512_gemm.h).
void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scratch);
}  // namespace avx512

// Floats of scratch one call needs when at most P = p0 + T positions are attended.
int64_t softmaxAttentionScratch(int64_t P, int64_t D);

// `scratch`: softmaxAttentionScratch(p0 + T, D) floats (one per concurrent call).
void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scratch);

}  // namespace folio::kernels

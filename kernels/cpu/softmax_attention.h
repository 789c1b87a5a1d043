// Dispatched causal grouped-query softmax attention (same contract as ref_softmax_attention.h). The AVX2
// version walks the cache in tiles of keys with an online softmax (running max and sum per query), for
// a tile of queries at a time, so each key and value row is read once per query tile and no score row
// of the whole context is materialised. Dimension letters: T new tokens, H query heads, KV kv-heads, D head dim.
#pragma once

#include <cstdint>

namespace folio::kernels {

namespace avx2 {
void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end);
}  // namespace avx2

// `scores`: scratch of p0 + T floats, used by the reference path only.
void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scores);

}  // namespace folio::kernels

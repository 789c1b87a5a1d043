// Plain reference causal grouped-query softmax attention of a chunk of new queries over a KV cache.
// Dimension letters: T new tokens, P cached positions, H query heads, KV kv-heads, D head dim.
#pragma once

#include <cstdint>

namespace folio::kernels::ref {

// Query t (absolute position p0 + t) of head h attends to cache positions 0 … p0 + t of kv-head
// h / (H / KV) with scale 1/√D and an fp32 softmax. q [T, H, D]; kcache, vcache [P, KV, D] with
// P ≥ p0 + T (rows p0 … p0+T−1 already hold this chunk's keys/values); out [T, H, D]. Only heads
// [h_begin, h_end) are computed (for threading); `scores` is scratch of p0 + T floats.
void softmaxAttention(const float* q, const float* kcache, const float* vcache, int64_t p0, int64_t T, int64_t H,
                      int64_t KV, int64_t D, float* out, int64_t h_begin, int64_t h_end, float* scores);

}  // namespace folio::kernels::ref

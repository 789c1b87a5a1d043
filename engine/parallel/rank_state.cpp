#include "engine/parallel/rank_state.h"

#include <algorithm>

#include "engine/common/check.h"

namespace folio::engine {

namespace {

// Copies `heads` D×D lightning states and their pending counters from heads [src_h, …) of `src` to heads
// [dst_h, …) of `dst` (between the whole model's [H, D, D] and a rank's [Hr, D, D]).
void copyLightning(const LayerState& src, int64_t src_h, LayerState& dst, int64_t dst_h, int64_t heads, int64_t D) {
  std::copy_n(src.lightning.data() + src_h * D * D, heads * D * D, dst.lightning.data() + dst_h * D * D);
  std::copy_n(src.pending.data() + src_h, heads, dst.pending.data() + dst_h);
}

// Copies `heads` KV heads of the cache rows < position from heads [src_k, …) of `src` ([P, src_KV, D]) to
// heads [dst_k, …) of `dst` ([P, dst_KV, D]).
void copyKv(const LayerState& src, int64_t src_KV, int64_t src_k, LayerState& dst, int64_t dst_KV, int64_t dst_k,
            int64_t heads, int64_t D, int64_t position) {
  for (int64_t p = 0; p < position; ++p) {
    std::copy_n(src.k_cache.data() + (p * src_KV + src_k) * D, heads * D, dst.k_cache.data() + (p * dst_KV + dst_k) * D);
    std::copy_n(src.v_cache.data() + (p * src_KV + src_k) * D, heads * D, dst.v_cache.data() + (p * dst_KV + dst_k) * D);
  }
}

}  // namespace

void gatherRankState(const SessionState& part, const RankLayout& l, const ModelConfig& c, SessionState& whole) {
  FOLIO_CHECK(part.layers.size() == whole.layers.size());
  for (size_t i = 0; i < whole.layers.size(); ++i) {
    const LayerState& from = part.layers[i];
    if (from.type == AttnType::Lightning) {
      copyLightning(from, 0, whole.layers[i], l.heads.begin, l.heads.size(), c.head_dim);
    } else {
      copyKv(from, l.kv_heads.size(), 0, whole.layers[i], c.num_kv_heads, l.kv_heads.begin, l.kv_heads.size(),
             c.head_dim, whole.position);
    }
  }
}

void scatterRankState(const SessionState& whole, const RankLayout& l, const ModelConfig& c, SessionState& part) {
  FOLIO_CHECK(part.layers.size() == whole.layers.size());
  for (size_t i = 0; i < whole.layers.size(); ++i) {
    LayerState& to = part.layers[i];
    if (to.type == AttnType::Lightning) {
      copyLightning(whole.layers[i], l.heads.begin, to, 0, l.heads.size(), c.head_dim);
    } else {
      copyKv(whole.layers[i], c.num_kv_heads, l.kv_heads.begin, to, l.kv_heads.size(), 0, l.kv_heads.size(),
             c.head_dim, whole.position);
    }
  }
  part.position = whole.position;
  part.tokens = whole.tokens;
  part.last_logits = whole.last_logits;
}

}  // namespace folio::engine

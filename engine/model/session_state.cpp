#include "engine/model/session_state.h"

#include <algorithm>

#include "engine/common/fnv1a.h"

namespace folio::engine {

void SessionState::allocate(const ModelConfig& c, int64_t capacity) {
  const size_t H = static_cast<size_t>(c.num_heads), D = static_cast<size_t>(c.head_dim),
               KV = static_cast<size_t>(c.num_kv_heads), P = static_cast<size_t>(capacity);
  layers.assign(static_cast<size_t>(c.num_layers), LayerState{});
  for (size_t l = 0; l < layers.size(); ++l) {
    LayerState& s = layers[l];
    s.type = c.layer_types[l];
    if (s.type == AttnType::Lightning) {
      s.lightning.assign(H * D * D, 0.0f);
      s.pending.assign(H, 0);
    } else {
      s.k_cache.assign(P * KV * D, 0.0f);
      s.v_cache.assign(P * KV * D, 0.0f);
    }
  }
  tokens.clear();
  tokens.reserve(P);
  last_logits.clear();
  last_logits.reserve(static_cast<size_t>(c.vocab_size));
  position = 0;
}

void SessionState::clear() {
  for (LayerState& s : layers) {
    std::fill(s.lightning.begin(), s.lightning.end(), 0.0f);
    std::fill(s.pending.begin(), s.pending.end(), 0);
  }
  tokens.clear();
  last_logits.clear();
  position = 0;
}

uint64_t tokenHistoryHash(const std::vector<int32_t>& tokens) {
  uint64_t h = kFnv1a64Offset;
  for (int32_t t : tokens) {
    const uint32_t u = static_cast<uint32_t>(t);
    const unsigned char le[4] = {static_cast<unsigned char>(u), static_cast<unsigned char>(u >> 8),
                                 static_cast<unsigned char>(u >> 16), static_cast<unsigned char>(u >> 24)};
    h = fnv1a64(le, 4, h);
  }
  return h;
}

}  // namespace folio::engine

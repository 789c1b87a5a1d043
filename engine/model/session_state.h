// Everything a session carries from one token to the next: what a snapshot saves and restores.
// Dimension letters: P context capacity, H heads, KV kv-heads, D head dim, V vocab.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model_config.h"

namespace folio::engine {

struct LayerState {
  AttnType type = AttnType::Lightning;
  std::vector<float> lightning;   // [H, D, D] fp32 state R per head (see kernels/cpu/ref_lightning.h)
  std::vector<int32_t> pending;   // [H] decode steps whose decay is not yet multiplied into R
  std::vector<float> k_cache;     // [P, KV, D] softmax layers; rows < position are valid
  std::vector<float> v_cache;     // [P, KV, D]
};

struct SessionState {
  int64_t position = 0;             // tokens consumed
  std::vector<int32_t> tokens;      // [position]
  std::vector<LayerState> layers;   // [L]
  std::vector<float> last_logits;   // [V] logits after the last token (empty at position 0)

  // Allocates zeroed state for `config` with room for `capacity` tokens in each KV cache.
  void allocate(const ModelConfig& config, int64_t capacity);
  void clear();  // back to position 0 (keeps the allocations)
};

// FNV-1a (64 bit) of the token ids, as stored in snapshots.
uint64_t tokenHistoryHash(const std::vector<int32_t>& tokens);

}  // namespace folio::engine

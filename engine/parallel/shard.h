// How a model splits across the N ranks of a tensor-parallel group (see ../shared/spec/minimax-m1.md,
// "Deployment facts"): query heads in N equal parts (lightning qkv/gate and softmax q column-parallel,
// out_proj/o_proj row-parallel), expert and shared-expert hidden units in N contiguous parts, the lm_head's
// vocabulary rows in N contiguous parts; norms and the router are replicated, and so is the embedding on
// the CPU, where every rank reads the same mapping (GPUs split it by vocabulary rows, see gpu_placement.h).
// Softmax KV heads: split KV/N per rank when KV % N == 0; when N % KV == 0 every rank keeps the single
// KV head its query heads share (each KV head replicated N/KV times); any other N is refused.
// Dimension letters: H heads, KV kv-heads, I expert hidden, SI shared-expert hidden, V vocab.
#pragma once

#include <cstdint>

#include "engine/common/result.h"
#include "engine/model_config.h"

namespace folio::engine {

struct Shard {
  int rank = 0;  // 0 … size − 1
  int size = 1;  // ranks in the tensor-parallel group
};

struct IndexRange {
  int64_t begin = 0, end = 0;  // [begin, end)
  int64_t size() const { return end - begin; }
};

// Part `part` of [0, n) cut into `parts` contiguous ranges whose sizes differ by at most one
// ([n·part/parts, n·(part+1)/parts)); none is empty when n ≥ parts.
IndexRange splitRange(int64_t n, int parts, int part);

// What one rank holds.
struct RankLayout {
  IndexRange heads;          // of H
  IndexRange kv_heads;       // of KV (may overlap other ranks' when KV is replicated)
  IndexRange intermediate;   // of I
  IndexRange shared_intermediate;  // of SI (empty when there is no shared expert)
  IndexRange vocab;          // of V (lm_head rows)
  int64_t vocab_stride = 0;  // ceil(V / N): every rank's padded logits width in the gather
};

// Ok when `config` splits over `ranks`; otherwise the error says what does not divide.
Status checkTensorParallel(const ModelConfig& config, int ranks);

// The parts of rank shard.rank (checkTensorParallel(config, shard.size) must have passed).
RankLayout rankLayout(const ModelConfig& config, const Shard& shard);

// The config a rank's forward pass runs with: its heads, KV heads, expert and shared-expert hidden
// sizes; everything else (hidden size, layers, vocabulary, …) as the model's.
ModelConfig rankConfig(const ModelConfig& config, const RankLayout& layout);

}  // namespace folio::engine

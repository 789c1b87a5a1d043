// The weights one tensor-parallel rank multiplies with, bound once from a loaded Model (engine/parallel/
// shard.h says which part each rank holds). Row slices (qkv, output_gate, q/k/v_proj, expert w1/w3,
// shared gate/up, lm_head) are views into the model's memory (the mmap, or its int8 copies); column
// slices (out_proj, o_proj, expert w2, shared down) are copied once here into contiguous shards.
// Dimension letters: C hidden, H heads, KV kv-heads, D head dim, I expert hidden, V vocab; a trailing r
// marks this rank's part (Hr, KVr, Ir, SIr, Vr).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "engine/model/model.h"
#include "engine/parallel/shard.h"

namespace folio::engine {

class RankWeights {
 public:
  // Binds rank shard.rank's part of `model`; the error names why the model does not split shard.size ways.
  // The model must outlive the result.
  static Result<std::unique_ptr<const RankWeights>> bind(const Model& model, const Shard& shard);

  const Shard& shard() const { return shard_; }
  const RankLayout& layout() const { return layout_; }
  const ModelConfig& config() const { return config_; }  // this rank's sizes (see rankConfig)
  const ModelConfig& modelConfig() const { return model_.config(); }
  const LayerWeights& layer(int l) const { return layers_[static_cast<size_t>(l)]; }
  const WeightMatrix& embedding() const { return model_.embedding(); }  // [V, C] replicated (CPU ranks)
  // [Vr, C] the embedding's rows of this rank's vocabulary part (GPU ranks: a vocab-parallel lookup whose
  // outputs, zero for the ids other ranks hold, add up over the ranks)
  const WeightMatrix& embeddingRows() const { return embedding_rows_; }
  const WeightMatrix& lmHead() const { return lm_head_; }               // [Vr, C] rows vocab.begin…
  const std::vector<float>& finalNorm() const { return model_.finalNorm(); }  // [C]

 private:
  RankWeights(const Model& model, const Shard& shard);
  void bindLayer(const LayerWeights& full, LayerWeights& mine);
  // Columns [c0, c1) of w, copied into storage_ (row scales of int8 weights are per row, so they stay).
  WeightMatrix copyColumns(const WeightMatrix& w, int64_t c0, int64_t c1);

  const Model& model_;
  Shard shard_;
  RankLayout layout_;
  ModelConfig config_;
  std::vector<LayerWeights> layers_;  // [L]
  WeightMatrix lm_head_;
  WeightMatrix embedding_rows_;
  std::deque<std::vector<unsigned char>> storage_;  // the copied column shards (addresses stay put)
};

}  // namespace folio::engine

#include "engine/parallel/rank_weights.h"

#include <cstring>

namespace folio::engine {

namespace {

// Rows [r0, r1) of w: a view at the same address space, no copy.
WeightMatrix rowSlice(const WeightMatrix& w, int64_t r0, int64_t r1) {
  FOLIO_CHECK(0 <= r0 && r0 <= r1 && r1 <= w.rows);
  WeightMatrix s = w;
  s.data = static_cast<const unsigned char*>(w.data) + r0 * w.cols * static_cast<int64_t>(kernels::dtypeSize(w.dtype));
  s.rows = r1 - r0;
  if (w.row_scales) s.row_scales = w.row_scales + r0;
  return s;
}

template <class T>
std::vector<T> slice(const std::vector<T>& v, int64_t b, int64_t e) {
  return std::vector<T>(v.begin() + b, v.begin() + e);
}

}  // namespace

RankWeights::RankWeights(const Model& model, const Shard& shard)
    : model_(model),
      shard_(shard),
      layout_(rankLayout(model.config(), shard)),
      config_(rankConfig(model.config(), layout_)) {}

Result<std::unique_ptr<const RankWeights>> RankWeights::bind(const Model& model, const Shard& shard) {
  FOLIO_TRY(checkTensorParallel(model.config(), shard.size));
  if (shard.rank < 0 || shard.rank >= shard.size) {
    return badInput("tensor parallel: rank " + std::to_string(shard.rank) + " is outside [0, " +
                    std::to_string(shard.size) + ")");
  }
  std::unique_ptr<RankWeights> r(new RankWeights(model, shard));
  const int L = model.config().num_layers;
  r->layers_.resize(static_cast<size_t>(L));
  for (int l = 0; l < L; ++l) r->bindLayer(model.layer(l), r->layers_[static_cast<size_t>(l)]);
  r->lm_head_ = rowSlice(model.lmHead(), r->layout_.vocab.begin, r->layout_.vocab.end);
  r->embedding_rows_ = rowSlice(model.embedding(), r->layout_.vocab.begin, r->layout_.vocab.end);
  return std::unique_ptr<const RankWeights>(std::move(r));
}

void RankWeights::bindLayer(const LayerWeights& full, LayerWeights& mine) {
  const int64_t D = model_.config().head_dim;
  const IndexRange h = layout_.heads, kv = layout_.kv_heads, i = layout_.intermediate,
                   si = layout_.shared_intermediate;
  mine.type = full.type;
  mine.alpha_attn = full.alpha_attn;
  mine.beta_attn = full.beta_attn;
  mine.input_norm = full.input_norm;
  mine.post_norm = full.post_norm;
  if (full.type == AttnType::Lightning) {
    mine.qkv = rowSlice(full.qkv, h.begin * 3 * D, h.end * 3 * D);  // per-head interleaved q, k, v rows
    mine.output_gate = rowSlice(full.output_gate, h.begin * D, h.end * D);
    mine.out_proj = copyColumns(full.out_proj, h.begin * D, h.end * D);
    mine.lightning_norm = slice(full.lightning_norm, h.begin * D, h.end * D);
    mine.decay = slice(full.decay, h.begin, h.end);
  } else {
    mine.q_proj = rowSlice(full.q_proj, h.begin * D, h.end * D);
    mine.k_proj = rowSlice(full.k_proj, kv.begin * D, kv.end * D);
    mine.v_proj = rowSlice(full.v_proj, kv.begin * D, kv.end * D);
    mine.o_proj = copyColumns(full.o_proj, h.begin * D, h.end * D);
  }
  mine.router = full.router;  // replicated: every rank routes every token the same way
  mine.experts.resize(full.experts.size());
  for (size_t e = 0; e < full.experts.size(); ++e) {
    const ExpertWeights& fe = full.experts[e];
    ExpertWeights& me = mine.experts[e];
    me.w1 = rowSlice(fe.w1, i.begin, i.end);
    me.w3 = rowSlice(fe.w3, i.begin, i.end);
    me.w2 = copyColumns(fe.w2, i.begin, i.end);
  }
  mine.has_shared = full.has_shared;
  if (full.has_shared) {
    mine.shared_gate = rowSlice(full.shared_gate, si.begin, si.end);
    mine.shared_up = rowSlice(full.shared_up, si.begin, si.end);
    mine.shared_down = copyColumns(full.shared_down, si.begin, si.end);
    mine.coefficient = full.coefficient;  // replicated: the mixing weight of each token
  }
}

WeightMatrix RankWeights::copyColumns(const WeightMatrix& w, int64_t c0, int64_t c1) {
  FOLIO_CHECK(0 <= c0 && c0 <= c1 && c1 <= w.cols);
  const auto es = static_cast<int64_t>(kernels::dtypeSize(w.dtype));
  const int64_t width = c1 - c0;
  std::vector<unsigned char>& bytes = storage_.emplace_back(static_cast<size_t>(w.rows * width * es));
  const auto* src = static_cast<const unsigned char*>(w.data);
  for (int64_t r = 0; r < w.rows; ++r) {
    std::memcpy(bytes.data() + r * width * es, src + (r * w.cols + c0) * es, static_cast<size_t>(width * es));
  }
  WeightMatrix s = w;
  s.data = bytes.data();
  s.cols = width;
  return s;
}

}  // namespace folio::engine

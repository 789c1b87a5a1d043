#include "engine/parallel/tensor_parallel_forward.h"

#include <algorithm>
#include <thread>

namespace folio::engine {

namespace {

size_t sz(int64_t n) { return static_cast<size_t>(n); }

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

TensorParallelForward::TensorParallelForward(const Model& model, int ranks, int64_t capacity)
    : model_(model), capacity_(capacity), group_(ranks), rank_threads_(ranks) {}

Result<std::unique_ptr<TensorParallelForward>> TensorParallelForward::create(const Model& model, int ranks,
                                                                             int64_t max_tokens, int64_t capacity,
                                                                             int threads) {
  FOLIO_TRY(checkTensorParallel(model.config(), ranks));
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::unique_ptr<TensorParallelForward> tp(new TensorParallelForward(model, ranks, capacity));
  tp->ranks_.resize(sz(ranks));
  for (int r = 0; r < ranks; ++r) {
    Rank& rank = tp->ranks_[sz(r)];
    auto weights = RankWeights::bind(model, Shard{r, ranks});
    if (!weights.ok()) return weights.error();
    rank.weights = std::move(weights.value());
    rank.pool = std::make_unique<ThreadPool>(std::max(1, threads / ranks));
    rank.forward = std::make_unique<CpuForward>(*rank.weights, tp->group_.comm(r), max_tokens, capacity, *rank.pool);
    rank.state.allocate(rank.weights->config(), capacity);
  }
  return tp;
}

void TensorParallelForward::run(SessionState& state, std::span<const int32_t> ids, bool decode, float* all_logits,
                                const ForwardRouting& routing) {
  const ForwardRouting silent{nullptr, nullptr, routing.expert_threshold};
  // n = ranks with grain 1: one rank per pool thread, all running at once (they meet in collectives)
  rank_threads_.parallelFor(ranks(), 1, [&](int64_t r0, int64_t r1, int) {
    for (int64_t r = r0; r < r1; ++r) {
      Rank& rank = ranks_[sz(r)];
      rank.forward->run(rank.state, ids, decode, all_logits, r == 0 ? routing : silent);
    }
  });
  const SessionState& first = ranks_.front().state;
  state.position = first.position;
  state.tokens.insert(state.tokens.end(), ids.begin(), ids.end());
  state.last_logits = first.last_logits;
}

SessionState TensorParallelForward::gatherState(const SessionState& meta) const {
  const ModelConfig& c = model_.config();
  SessionState whole;
  whole.allocate(c, capacity_);
  whole.position = meta.position;
  whole.tokens = meta.tokens;
  whole.last_logits = meta.last_logits;
  for (const Rank& rank : ranks_) {
    const RankLayout& l = rank.weights->layout();
    for (size_t i = 0; i < whole.layers.size(); ++i) {
      const LayerState& part = rank.state.layers[i];
      if (part.type == AttnType::Lightning) {
        copyLightning(part, 0, whole.layers[i], l.heads.begin, l.heads.size(), c.head_dim);
      } else {
        // a KV head held by several ranks is the same on each (same inputs, same rows of k_proj/v_proj)
        copyKv(part, l.kv_heads.size(), 0, whole.layers[i], c.num_kv_heads, l.kv_heads.begin, l.kv_heads.size(),
               c.head_dim, whole.position);
      }
    }
  }
  return whole;
}

void TensorParallelForward::scatterState(const SessionState& whole) {
  const ModelConfig& c = model_.config();
  FOLIO_CHECK(static_cast<int>(whole.layers.size()) == c.num_layers && whole.position <= capacity_);
  for (Rank& rank : ranks_) {
    const RankLayout& l = rank.weights->layout();
    for (size_t i = 0; i < whole.layers.size(); ++i) {
      LayerState& part = rank.state.layers[i];
      if (part.type == AttnType::Lightning) {
        copyLightning(whole.layers[i], l.heads.begin, part, 0, l.heads.size(), c.head_dim);
      } else {
        copyKv(whole.layers[i], c.num_kv_heads, l.kv_heads.begin, part, l.kv_heads.size(), 0, l.kv_heads.size(),
               c.head_dim, whole.position);
      }
    }
    rank.state.position = whole.position;
    rank.state.tokens = whole.tokens;
    rank.state.last_logits = whole.last_logits;
  }
}

void TensorParallelForward::clear() {
  for (Rank& rank : ranks_) rank.state.clear();
}

}  // namespace folio::engine

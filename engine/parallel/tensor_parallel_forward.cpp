#include "engine/parallel/tensor_parallel_forward.h"

#include <algorithm>
#include <thread>

#include "engine/parallel/rank_state.h"

namespace folio::engine {

namespace {
size_t sz(int64_t n) { return static_cast<size_t>(n); }
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
  for (const Rank& rank : ranks_) gatherRankState(rank.state, rank.weights->layout(), c, whole);
  return whole;
}

void TensorParallelForward::scatterState(const SessionState& whole) {
  const ModelConfig& c = model_.config();
  FOLIO_CHECK(static_cast<int>(whole.layers.size()) == c.num_layers && whole.position <= capacity_);
  for (Rank& rank : ranks_) scatterRankState(whole, rank.weights->layout(), c, rank.state);
}

void TensorParallelForward::clear() {
  for (Rank& rank : ranks_) rank.state.clear();
}

}  // namespace folio::engine

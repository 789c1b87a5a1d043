#include "engine/parallel/tensor_parallel_forward.h"

#include <algorithm>
#include <thread>

#include "engine/parallel/rank_state.h"

namespace folio::engine {

namespace {
size_t sz(int64_t n) { return static_cast<size_t>(n); }
}  // namespace

TensorParallelForward::TensorParallelForward(const Model& model, int ranks, int64_t max_tokens, int64_t capacity)
    : model_(model), max_tokens_(max_tokens), capacity_(capacity), group_(ranks), rank_threads_(ranks) {}

Result<std::unique_ptr<TensorParallelForward>> TensorParallelForward::create(const Model& model, int ranks,
                                                                             int64_t max_tokens, int64_t capacity,
                                                                             int threads) {
  FOLIO_TRY(checkTensorParallel(model.config(), ranks));
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::unique_ptr<TensorParallelForward> tp(new TensorParallelForward(model, ranks, max_tokens, capacity));
  tp->ranks_.resize(sz(ranks));
  for (int r = 0; r < ranks; ++r) {
    Rank& rank = tp->ranks_[sz(r)];
    // shared by every group over this model and rank count: a split session copies no weights of its own
    auto weights = model.deviceWeights().getOrMake<RankWeights>(
        DeviceWeightsCache::kHost, DeviceWeightsCache::partOfShard(r, ranks),
        [&model, r, ranks]() -> Result<std::shared_ptr<const RankWeights>> {
          auto bound = RankWeights::bind(model, Shard{r, ranks});
          if (!bound.ok()) return bound.error();
          return std::shared_ptr<const RankWeights>(std::move(bound.value()));
        });
    if (!weights.ok()) return weights.error();
    rank.weights = std::move(weights.value());
    rank.pool = std::make_unique<ThreadPool>(std::max(1, threads / ranks));
    rank.forward = std::make_unique<CpuForward>(*rank.weights, tp->group_.comm(r), max_tokens, capacity, *rank.pool);
    rank.batch_states.reserve(sz(max_tokens));
    rank.batch_routing.reserve(sz(max_tokens));
  }
  return tp;
}

SplitState TensorParallelForward::allocateState() const {
  SplitState split;
  split.parts.resize(ranks_.size());
  for (size_t r = 0; r < ranks_.size(); ++r) split.parts[r].allocate(ranks_[r].weights->config(), capacity_);
  return split;
}

void TensorParallelForward::advance(SessionState& meta, const SessionState& first, std::span<const int32_t> ids) {
  meta.position = first.position;
  meta.tokens.insert(meta.tokens.end(), ids.begin(), ids.end());
  meta.last_logits.assign(first.last_logits.begin(), first.last_logits.end());  // reserved: no allocation
}

void TensorParallelForward::run(SessionState& meta, SplitState& split, std::span<const int32_t> ids, bool decode,
                                float* all_logits, const ForwardRouting& routing) {
  FOLIO_CHECK(split.parts.size() == ranks_.size());
  const ForwardRouting silent{nullptr, nullptr, routing.expert_threshold};
  // n = ranks with grain 1: one rank per pool thread, all running at once (they meet in collectives)
  rank_threads_.parallelFor(ranks(), 1, [&](int64_t r0, int64_t r1, int) {
    for (int64_t r = r0; r < r1; ++r) {
      ranks_[sz(r)].forward->run(split.parts[sz(r)], ids, decode, all_logits, r == 0 ? routing : silent);
    }
  });
  advance(meta, split.parts.front(), ids);
}

void TensorParallelForward::decodeBatch(std::span<SessionState* const> metas, std::span<SplitState* const> splits,
                                        std::span<const int32_t> ids, std::span<const ForwardRouting> routing) {
  const size_t B = ids.size();
  FOLIO_CHECK(B >= 1 && static_cast<int64_t>(B) <= max_tokens_);
  FOLIO_CHECK(metas.size() == B && splits.size() == B && routing.size() == B);
  for (size_t r = 0; r < ranks_.size(); ++r) {
    Rank& rank = ranks_[r];
    rank.batch_states.clear();
    rank.batch_routing.clear();
    for (size_t b = 0; b < B; ++b) {
      FOLIO_CHECK(splits[b]->parts.size() == ranks_.size());
      rank.batch_states.push_back(&splits[b]->parts[r]);
      // every rank applies each sequence's τ (it decides which experts run); rank 0 records
      rank.batch_routing.push_back(r == 0 ? routing[b] : ForwardRouting{nullptr, nullptr, routing[b].expert_threshold});
    }
  }
  rank_threads_.parallelFor(ranks(), 1, [&](int64_t r0, int64_t r1, int) {
    for (int64_t r = r0; r < r1; ++r) {
      Rank& rank = ranks_[sz(r)];
      rank.forward->decodeBatch(rank.batch_states, ids, rank.batch_routing);
    }
  });
  for (size_t b = 0; b < B; ++b) advance(*metas[b], splits[b]->parts.front(), ids.subspan(b, 1));
}

SessionState TensorParallelForward::gatherState(const SessionState& meta, const SplitState& split) const {
  const ModelConfig& c = model_.config();
  FOLIO_CHECK(split.parts.size() == ranks_.size());
  SessionState whole;
  whole.allocate(c, capacity_);
  whole.position = meta.position;
  whole.tokens = meta.tokens;
  whole.last_logits = meta.last_logits;
  for (size_t r = 0; r < ranks_.size(); ++r) gatherRankState(split.parts[r], ranks_[r].weights->layout(), c, whole);
  return whole;
}

void TensorParallelForward::scatterState(const SessionState& whole, SplitState& split) const {
  const ModelConfig& c = model_.config();
  FOLIO_CHECK(static_cast<int>(whole.layers.size()) == c.num_layers && whole.position <= capacity_);
  FOLIO_CHECK(split.parts.size() == ranks_.size());
  for (size_t r = 0; r < ranks_.size(); ++r) scatterRankState(whole, ranks_[r].weights->layout(), c, split.parts[r]);
}

}  // namespace folio::engine

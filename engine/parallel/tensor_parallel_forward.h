// The CPU forward pass split over N tensor-parallel ranks that are threads of this process: each rank
// has its part of the weights (RankWeights, made once per model and rank count and shared by every
// group), its own CpuForward and thread pool, and they meet in an
// InProcessGroup. A sequence's layer states are split the same way (SplitState: its heads' lightning
// states, its KV heads' cache, one part per rank) and live with the sequence, so one group can run the
// sequences of several sessions: one at a time (run), or the next token of many at once (decodeBatch,
// batched serving). The ranks' results are the whole model's up to float summation order (the partial
// sums are added in rank order).
// Dimension letters: L layers, P capacity, H heads, KV kv-heads, D head dim, V vocab.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/model/cpu_forward.h"
#include "engine/model/model.h"
#include "engine/model/session_state.h"
#include "engine/model/thread_pool.h"
#include "engine/parallel/in_process_comm.h"
#include "engine/parallel/rank_weights.h"

namespace folio::engine {

// One sequence's layer states split over the ranks of a group: parts[r] is allocated with rank r's
// config (its heads and KV heads) and the group's capacity. Only the layers are used.
struct SplitState {
  std::vector<SessionState> parts;
};

class TensorParallelForward {
 public:
  // ranks ≥ 1; max_tokens: the largest chunk run() is given and the largest decodeBatch(); threads:
  // worker threads in all (0: all cores), each rank's pool gets max(1, threads/ranks). The error says why
  // the model does not split `ranks` ways. The model must outlive the result.
  static Result<std::unique_ptr<TensorParallelForward>> create(const Model& model, int ranks, int64_t max_tokens,
                                                                int64_t capacity, int threads);

  int ranks() const { return static_cast<int>(ranks_.size()); }
  int64_t capacity() const { return capacity_; }

  // Zeroed layer states of one sequence for this group's ranks and capacity.
  SplitState allocateState() const;

  // As CpuForward::run. `meta` carries the position, the tokens and the last logits; `split` the layer
  // states. Routing is recorded once (by rank 0).
  void run(SessionState& meta, SplitState& split, std::span<const int32_t> ids, bool decode, float* all_logits,
           const ForwardRouting& routing);

  // One decode step of B sequences (1 ≤ B ≤ max_tokens): ids[b] after what metas[b] and splits[b] hold,
  // recorded with routing[b]; as CpuForward::decodeBatch on every rank. Each sequence ends bit for bit as
  // run(*metas[b], *splits[b], {ids[b]}, true, nullptr, routing[b]) would leave it.
  void decodeBatch(std::span<SessionState* const> metas, std::span<SplitState* const> splits,
                   std::span<const int32_t> ids, std::span<const ForwardRouting> routing);

  // The whole model's state (as SessionState::allocate(model config, capacity) lays it out): meta's
  // position, tokens and logits, and the layer states assembled from split's parts (for snapshots).
  SessionState gatherState(const SessionState& meta, const SplitState& split) const;
  // Gives every part of `split` its share of a whole-model state (KV rows < whole.position).
  void scatterState(const SessionState& whole, SplitState& split) const;

 private:
  struct Rank {
    std::shared_ptr<const RankWeights> weights;  // from the model's DeviceWeightsCache (kHost)
    std::unique_ptr<ThreadPool> pool;
    std::unique_ptr<CpuForward> forward;
    // decodeBatch's arguments for this rank (sized for max_tokens: a step allocates nothing)
    std::vector<SessionState*> batch_states;
    std::vector<ForwardRouting> batch_routing;
  };
  TensorParallelForward(const Model& model, int ranks, int64_t max_tokens, int64_t capacity);
  // meta's position, tokens and logits after `ids` ran on rank 0's part
  static void advance(SessionState& meta, const SessionState& first, std::span<const int32_t> ids);

  const Model& model_;
  int64_t max_tokens_, capacity_;
  InProcessGroup group_;
  ThreadPool rank_threads_;  // one thread per rank (the caller is rank 0)
  std::vector<Rank> ranks_;
};

}  // namespace folio::engine

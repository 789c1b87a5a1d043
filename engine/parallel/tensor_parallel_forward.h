// The CPU forward pass split over N tensor-parallel ranks that are threads of this process: each rank
// has its part of the weights (RankWeights), its own CpuForward, thread pool and layer states (its heads'
// lightning states, its KV heads' cache), and they meet in an InProcessGroup. The ranks' results are the
// whole model's up to float summation order (the partial sums are added in rank order).
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

class TensorParallelForward {
 public:
  // ranks ≥ 1; threads: worker threads in all (0: all cores), each rank's pool gets max(1, threads/ranks).
  // The error says why the model does not split `ranks` ways. The model must outlive the result.
  static Result<std::unique_ptr<TensorParallelForward>> create(const Model& model, int ranks, int64_t max_tokens,
                                                                int64_t capacity, int threads);

  int ranks() const { return static_cast<int>(ranks_.size()); }

  // As CpuForward::run. `state` carries the position, the tokens and the last logits; its layers are not
  // used (the ranks hold them, see gatherLayers). Routing is recorded once (by rank 0).
  void run(SessionState& state, std::span<const int32_t> ids, bool decode, float* all_logits,
           const ForwardRouting& routing);

  // The whole model's state (as SessionState::allocate(model config, capacity) lays it out): meta's
  // position, tokens and logits, and the layer states assembled from the ranks' parts (for snapshots).
  SessionState gatherState(const SessionState& meta) const;
  // Gives every rank its part of a whole-model state (KV rows < whole.position).
  void scatterState(const SessionState& whole);
  // Zeroes every rank's states (SessionState::clear on each).
  void clear();

 private:
  struct Rank {
    std::unique_ptr<const RankWeights> weights;
    std::unique_ptr<ThreadPool> pool;
    std::unique_ptr<CpuForward> forward;
    SessionState state;  // allocated with weights->config()
  };
  TensorParallelForward(const Model& model, int ranks, int64_t capacity);

  const Model& model_;
  int64_t capacity_;
  InProcessGroup group_;
  ThreadPool rank_threads_;  // one thread per rank (the caller is rank 0)
  std::vector<Rank> ranks_;
};

}  // namespace folio::engine

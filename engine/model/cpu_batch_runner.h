// The decode batcher's runner for CPU sessions (decode_batcher.h): one CpuForward::decodeBatch per step
// on a thread pool of its own sized by the batcher's options or, for sessions split over tensor-parallel
// ranks, one TensorParallelForward::decodeBatch on a group of its own with the sessions' ranks.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "engine/model/cpu_forward.h"
#include "engine/model/decode_batcher.h"
#include "engine/model/model.h"
#include "engine/model/session_state.h"
#include "engine/model/thread_pool.h"
#include "engine/parallel/tensor_parallel_forward.h"

namespace folio::engine {

// What a CPU session hands in (DecodeSlot::sequence): its state and how its routing is recorded.
struct CpuBatchSequence {
  SessionState* state = nullptr;  // the whole model's state; split sessions: position, tokens and logits
  SplitState* split = nullptr;    // split sessions: the layer states (the runner must be split the same way)
  ForwardRouting routing;
};

class CpuBatchRunner final : public BatchDecodeRunner {
 public:
  // Sequences of the whole model of up to `capacity` positions, steps of up to options.max_batch.
  CpuBatchRunner(const Model& model, const DecodeBatcher::Options& options, int64_t capacity);
  // Sequences split over `ranks` tensor-parallel ranks (every sequence has `split`); the error says why
  // the model does not split that way.
  static Result<std::unique_ptr<BatchDecodeRunner>> createSplit(const Model& model, int ranks,
                                                                const DecodeBatcher::Options& options, int64_t capacity);
  void run(std::span<DecodeSlot* const> slots) override;  // bit-identical to decoding each alone

 private:
  explicit CpuBatchRunner(const DecodeBatcher::Options& options);

  std::optional<ThreadPool> pool_;                 // whole model
  std::optional<CpuForward> forward_;
  std::unique_ptr<TensorParallelForward> split_;   // split sequences
  std::vector<SessionState*> states_;
  std::vector<SplitState*> splits_;
  std::vector<int32_t> ids_;
  std::vector<ForwardRouting> routing_;
};

}  // namespace folio::engine

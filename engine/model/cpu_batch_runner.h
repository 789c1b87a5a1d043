// The decode batcher's runner for CPU sessions (decode_batcher.h): one CpuForward::decodeBatch per step
// on a thread pool of its own, sized by the batcher's options.
#pragma once

#include <span>
#include <vector>

#include "engine/model/cpu_forward.h"
#include "engine/model/decode_batcher.h"
#include "engine/model/model.h"
#include "engine/model/session_state.h"
#include "engine/model/thread_pool.h"

namespace folio::engine {

// What a CPU session hands in (DecodeSlot::sequence): its state and how its routing is recorded.
struct CpuBatchSequence {
  SessionState* state = nullptr;
  ForwardRouting routing;
};

class CpuBatchRunner final : public BatchDecodeRunner {
 public:
  // Sequences of up to `capacity` positions, steps of up to options.max_batch.
  CpuBatchRunner(const Model& model, const DecodeBatcher::Options& options, int64_t capacity);
  void run(std::span<DecodeSlot* const> slots) override;  // bit-identical to decoding each alone

 private:
  ThreadPool pool_;
  CpuForward forward_;
  std::vector<SessionState*> states_;
  std::vector<int32_t> ids_;
  std::vector<ForwardRouting> routing_;
};

}  // namespace folio::engine

// Decode steps of concurrent CPU sessions on one model, run as one batch. A session created with
// SessionOptions::decode_batcher hands each decode() to the batcher, which runs the next token of every
// session decoding at that moment through one CpuForward::decodeBatch: each dense weight row and each
// chosen expert is read once per step for all of them instead of once per session, which is what bounds
// decode (memory bandwidth). Each session's logits, states and routing are bit-identical to decoding
// alone; only the wall time changes.
//
// Gathering: a step runs when every sequence of the previous step has handed in its next token (between
// steps each one samples in its own thread), when max_batch tokens wait, or when the gather window has
// passed since the engine became free with a token waiting; late tokens go in the next step. The window is
// a quarter of the last step's time, between min_gather and max_gather, so a sequence that has finished costs
// the others at most that once (sessions call leave() when they end, which avoids even that). The thread
// that completes a step's set, or whose wait ends, runs the step on the batcher's thread pool while the
// others wait.
//
// Only whole-model CPU sessions join (not tensor_parallel > 1, not CUDA, and only with a context capacity
// up to Options::max_capacity); Session::create lets the others decode alone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/common/result.h"
#include "engine/model/cpu_forward.h"
#include "engine/model/model.h"
#include "engine/model/session_state.h"
#include "engine/model/thread_pool.h"

namespace folio::engine {

class DecodeBatcher {
 public:
  struct Options {
    int threads = 0;             // worker threads of the batched steps (0: all cores)
    int max_batch = 16;          // sequences per step, 1 … 256
    int64_t max_capacity = 0;    // largest context capacity a member may have; 0: the model's
                                 // max_position_embeddings (65536 when the config has none)
    // the gather window's bounds: how long a step may wait for the previous step's sequences
    std::chrono::microseconds min_gather{200};
    std::chrono::microseconds max_gather{20000};
  };
  // BadInput errors name the option.
  static Result<std::shared_ptr<DecodeBatcher>> create(std::shared_ptr<const Model> model, const Options& options);

  DecodeBatcher(const DecodeBatcher&) = delete;
  DecodeBatcher& operator=(const DecodeBatcher&) = delete;

  const Model& model() const { return *model_; }
  int64_t maxCapacity() const { return capacity_; }
  int maxBatch() const { return options_.max_batch; }

  // One decode step of `state`: blocks until `id` has run through the model for it (state advanced,
  // last_logits written, routing recorded through `routing`). The caller has checked the id and the
  // capacity; state and routing are not touched after the return.
  void decode(SessionState& state, const ForwardRouting& routing, int32_t id);
  // `state` will not decode again (its session ends): steps stop waiting for it.
  void leave(const SessionState& state);

  struct Stats {
    int64_t steps = 0;
    int64_t tokens = 0;    // sequences run, summed over the steps
    int largest_step = 0;  // most sequences in one step
    int waiting = 0;       // tokens handed in that have not run yet
  };
  Stats stats() const;

 private:
  struct Request {
    SessionState* state;
    const ForwardRouting* routing;
    int32_t id;
    bool done = false;
  };
  DecodeBatcher(std::shared_ptr<const Model> model, const Options& options, int64_t capacity);
  bool readyLocked(std::chrono::steady_clock::time_point now) const;
  std::chrono::steady_clock::time_point deadlineLocked() const;
  // Runs the first max_batch waiting requests; called with lk held and returns with it held.
  void runStepLocked(std::unique_lock<std::mutex>& lk);

  std::shared_ptr<const Model> model_;
  Options options_;
  int64_t capacity_;
  ThreadPool pool_;
  CpuForward forward_;  // max_tokens = max_batch, capacity = capacity_

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Request*> waiting_;              // handed in, not yet run
  std::vector<const SessionState*> previous_;  // the last step's sequences that have not left
  bool running_ = false;                       // a step is running (outside the lock)
  std::chrono::steady_clock::time_point gather_start_;  // when the oldest waiting token could first have run
  std::chrono::nanoseconds last_step_{0};
  Stats stats_;
  // the running step's arguments (only the stepping thread touches them)
  std::vector<Request*> step_;
  std::vector<SessionState*> step_states_;
  std::vector<int32_t> step_ids_;
  std::vector<ForwardRouting> step_routing_;
};

}  // namespace folio::engine

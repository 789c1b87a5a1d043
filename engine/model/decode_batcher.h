// Decode steps of concurrent sessions on one model, run as one batch. A session created with
// SessionOptions::decode_batcher hands each decode() to the batcher, which runs the next token of every
// session decoding at that moment as one step of its backend's BatchDecodeRunner (on the CPU one
// CpuForward::decodeBatch, cpu_batch_runner.h): each dense weight row and each chosen expert is read once
// per step for all of them instead of once per session, which is what bounds decode (memory bandwidth).
// On the CPU each session's logits, states and routing are bit-identical to decoding alone; only the wall
// time changes.
//
// Gathering: a step runs when every sequence of the previous step has handed in its next token (between
// steps each one samples in its own thread), when max_batch tokens wait, or when the gather window has
// passed since the engine became free with a token waiting; late tokens go in the next step. The window is
// a quarter of the last step's time, between min_gather and max_gather, so a sequence that has finished costs
// the others at most that once (sessions call leave() when they end, which avoids even that). The thread
// that completes a step's set, or whose wait ends, runs the step on the batcher's thread pool while the
// others wait.
//
// A batcher serves one backend: the first session to join names it and makes the runner; sessions of
// another backend (CPU sessions split over another number of tensor-parallel ranks are one), and those a
// runner cannot take (a model split over devices, a context capacity over Options::max_capacity), decode
// alone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "engine/common/result.h"
#include "engine/model/model.h"

namespace folio::engine {

// One sequence's token in a step.
struct DecodeSlot {
  void* sequence = nullptr;  // what the runner's sessions hand in (the runner knows its type); stable
                             // for the session's life, it identifies the sequence between steps
  int32_t id = 0;
  Status result;             // the runner's verdict for this sequence
};

// A backend's way of running one decode step of several sequences.
class BatchDecodeRunner {
 public:
  virtual ~BatchDecodeRunner() = default;
  // Runs every slot's token (1 ≤ slots ≤ max_batch) and sets each slot's result.
  virtual void run(std::span<DecodeSlot* const> slots) = 0;
};

class DecodeBatcher {
 public:
  struct Options {
    int threads = 0;             // worker threads of the batched steps (0: all cores)
    int max_batch = 16;          // sequences per step, 1 … 256
    int64_t max_capacity = 0;    // largest context capacity of a member; 0: the model's
                                 // max_position_embeddings (at most 2^20; 65536 when the config has none)
    // the gather window's bounds: how long a step may wait for the previous step's sequences
    std::chrono::microseconds min_gather{200};
    std::chrono::microseconds max_gather{20000};
  };
  // BadInput errors name the option.
  static Result<std::shared_ptr<DecodeBatcher>> create(std::shared_ptr<const Model> model, const Options& options);

  DecodeBatcher(const DecodeBatcher&) = delete;
  DecodeBatcher& operator=(const DecodeBatcher&) = delete;

  const Model& model() const { return *model_; }
  const Options& options() const { return options_; }
  int64_t maxCapacity() const { return capacity_; }
  int maxBatch() const { return options_.max_batch; }

  // For a session of `backend` (e.g. "cpu", "cuda:0"): true when its steps may go through this batcher.
  // The first caller names the backend and `make` builds the runner (a failure to build is returned and
  // leaves the batcher free); a later caller of another backend gets false and decodes alone.
  Result<bool> join(const std::string& backend, const std::function<Result<std::unique_ptr<BatchDecodeRunner>>()>& make);

  // One decode step of slot.sequence: blocks until its token has run (slot.result says how); the caller
  // has checked the id and the capacity.
  Status decode(DecodeSlot& slot);
  // `sequence` will not decode again (its session ends): steps stop waiting for it.
  void leave(const void* sequence);

  struct Stats {
    int64_t steps = 0;
    int64_t tokens = 0;    // sequences run, summed over the steps
    int largest_step = 0;  // most sequences in one step
    int waiting = 0;       // tokens handed in that have not run yet
  };
  Stats stats() const;

 private:
  struct Request {
    DecodeSlot* slot;
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

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string backend_;                        // the runner's backend; empty until the first join
  std::unique_ptr<BatchDecodeRunner> runner_;
  std::vector<Request*> waiting_;              // handed in, not yet run
  std::vector<const void*> previous_;          // the last step's sequences that have not left
  bool running_ = false;                       // a step is running (outside the lock)
  std::chrono::steady_clock::time_point gather_start_;  // when the oldest waiting token could first have run
  std::chrono::nanoseconds last_step_{0};
  Stats stats_;
  // the running step (only the stepping thread touches it)
  std::vector<Request*> step_;
  std::vector<DecodeSlot*> step_slots_;
};

}  // namespace folio::engine

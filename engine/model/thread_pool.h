// A small fixed pool of persistent worker threads for data-parallel loops (split over matmul output
// rows, attention heads, experts). Owned by a session; no global pool. Workers are created once and
// reused by every op; the loops take a non-owning callable reference, so a call allocates nothing
// (decode runs them many times per token). Between jobs a worker spins briefly on the job counter before
// it sleeps, so the back-to-back small ops of decode do not each pay a futex wake-up.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace folio::engine {

class ThreadPool {
 public:
  // threads: total workers including the calling thread; 0 = std::thread::hardware_concurrency().
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return size_; }

  // Splits [0, n) into at most size() contiguous ranges and calls fn(begin, end, worker) for each,
  // worker ∈ [0, size()) distinct per range, all ranges running at the same time (callers that block on
  // each other, like tensor-parallel ranks, rely on it); returns when all are done. Ranges smaller than
  // `min_grain` items are not split further. Not reentrant.
  template <class Fn>
  void parallelFor(int64_t n, int64_t min_grain, Fn&& fn) {
    run(n, min_grain, /*dynamic=*/false, thunkOf<Fn>(), const_cast<void*>(static_cast<const void*>(&fn)));
  }

  // Cuts [0, n) into chunks of `chunk` items (the last may be shorter) that the threads claim one at a
  // time, calling fn(begin, end, worker) with begin a multiple of `chunk` (on one thread, a single call
  // covers [0, n)); a worker may run several chunks, never two at once. A thread
  // that is not scheduled (a busy desktop) costs at most the chunk it holds, as the others take the
  // rest. For work whose result does not depend on which thread runs it. Not reentrant.
  template <class Fn>
  void parallelChunks(int64_t n, int64_t chunk, Fn&& fn) {
    run(n, chunk, /*dynamic=*/true, thunkOf<Fn>(), const_cast<void*>(static_cast<const void*>(&fn)));
  }

 private:
  using Thunk = void (*)(void*, int64_t, int64_t, int);
  template <class Fn>
  static Thunk thunkOf() {
    using F = std::remove_reference_t<Fn>;
    return [](void* ctx, int64_t b, int64_t e, int w) { (*static_cast<F*>(ctx))(b, e, w); };
  }
  void run(int64_t n, int64_t grain_or_chunk, bool dynamic, Thunk thunk, void* ctx);
  void workerLoop(int worker);
  // A job's fields as one thread read them (under mu_).
  struct Job {
    Thunk thunk = nullptr;
    void* ctx = nullptr;
    int64_t n = 0;
    int64_t chunk = 0;   // dynamic: items per chunk
    int64_t chunks = 0;  // dynamic: number of chunks
    int parts = 0;       // static: number of ranges
    bool dynamic = false;
    uint32_t number = 0;
  };
  // Claims and runs chunks of a dynamic job until none is left.
  void runChunks(const Job& job, int worker);
  void waitDone(int64_t target);

  int size_ = 1;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  std::atomic<uint64_t> generation_{0};  // bumped (under mu_) for every job
  std::atomic<int64_t> done_{0};         // static: ranges finished; dynamic: chunks finished
  // dynamic jobs: (job number << 32) | next chunk; a worker that read an older job's fields cannot claim
  std::atomic<uint64_t> claim_{0};
  bool stop_ = false;                    // guarded by mu_
  Job job_;  // the job being run (written under mu_ before generation_ is bumped)
};

}  // namespace folio::engine

// A small fixed pool of persistent worker threads for data-parallel loops (split over matmul output
// rows, attention heads, experts). Owned by a session; no global pool. Workers are created once and
// reused by every op; parallelFor takes a non-owning callable reference, so a call allocates nothing
// (decode runs it many times per token). Between jobs a worker spins briefly on the job counter before
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
  // worker ∈ [0, size()) distinct per range; returns when all are done. Ranges smaller than
  // `min_grain` items are not split further. Not reentrant.
  template <class Fn>
  void parallelFor(int64_t n, int64_t min_grain, Fn&& fn) {
    using F = std::remove_reference_t<Fn>;
    run(n, min_grain, [](void* ctx, int64_t b, int64_t e, int w) { (*static_cast<F*>(ctx))(b, e, w); },
        const_cast<void*>(static_cast<const void*>(&fn)));
  }

 private:
  using Thunk = void (*)(void*, int64_t, int64_t, int);
  void run(int64_t n, int64_t min_grain, Thunk thunk, void* ctx);
  void workerLoop(int worker);

  int size_ = 1;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  std::atomic<uint64_t> generation_{0};  // bumped (under mu_) for every job
  std::atomic<int> remaining_{0};        // workers of the current job not finished yet
  bool stop_ = false;                    // guarded by mu_
  // the job being run (written under mu_ before generation_ is bumped)
  Thunk thunk_ = nullptr;
  void* ctx_ = nullptr;
  int64_t n_ = 0;
  int parts_ = 0;
};

}  // namespace folio::engine

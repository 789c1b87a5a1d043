#include "engine/model/thread_pool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define FOLIO_SPIN_PAUSE() _mm_pause()
#else
#define FOLIO_SPIN_PAUSE() std::this_thread::yield()
#endif

namespace folio::engine {
namespace {
// Polls before sleeping on a condition variable (each poll is a pause instruction, ~10–40 ns).
constexpr int kSpinPolls = 2000;

// Range of part `i` of `parts` equal splits of [0, n).
void partRange(int64_t n, int parts, int i, int64_t* b, int64_t* e) {
  *b = n * i / parts;
  *e = n * (i + 1) / parts;
}
}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::thread::hardware_concurrency());
  size_ = std::max(1, threads);
  threads_.reserve(static_cast<size_t>(size_ - 1));
  for (int w = 1; w < size_; ++w) threads_.emplace_back([this, w] { workerLoop(w); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    generation_.fetch_add(1, std::memory_order_release);
  }
  start_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void ThreadPool::run(int64_t n, int64_t min_grain, Thunk thunk, void* ctx) {
  if (n <= 0) return;
  const int64_t by_grain = std::max<int64_t>(1, n / std::max<int64_t>(1, min_grain));
  const int parts = static_cast<int>(std::min<int64_t>(size_, by_grain));
  if (parts <= 1) {
    thunk(ctx, 0, n, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    thunk_ = thunk;
    ctx_ = ctx;
    n_ = n;
    parts_ = parts;
    remaining_.store(parts - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  start_cv_.notify_all();
  int64_t b, e;
  partRange(n, parts, 0, &b, &e);
  thunk(ctx, b, e, 0);
  for (int i = 0; i < kSpinPolls; ++i) {
    if (remaining_.load(std::memory_order_acquire) == 0) return;
    FOLIO_SPIN_PAUSE();
  }
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [this] { return remaining_.load(std::memory_order_acquire) == 0; });
}

void ThreadPool::workerLoop(int worker) {
  uint64_t seen = 0;
  for (;;) {
    for (int i = 0; i < kSpinPolls && generation_.load(std::memory_order_acquire) == seen; ++i) FOLIO_SPIN_PAUSE();
    Thunk thunk;
    void* ctx;
    int64_t n;
    int parts;
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_cv_.wait(lock, [&] { return stop_ || generation_.load(std::memory_order_relaxed) != seen; });
      if (stop_) return;
      seen = generation_.load(std::memory_order_relaxed);
      thunk = thunk_;
      ctx = ctx_;
      n = n_;
      parts = parts_;
    }
    if (worker < parts) {
      int64_t b, e;
      partRange(n, parts, worker, &b, &e);
      thunk(ctx, b, e, worker);
      if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mu_);
        done_cv_.notify_one();
      }
    }
  }
}

}  // namespace folio::engine

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

uint32_t jobOf(uint64_t claim) { return static_cast<uint32_t>(claim >> 32); }
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

void ThreadPool::run(int64_t n, int64_t grain_or_chunk, bool dynamic, Thunk thunk, void* ctx) {
  if (n <= 0) return;
  Job job;
  job.thunk = thunk;
  job.ctx = ctx;
  job.n = n;
  job.dynamic = dynamic;
  job.chunk = std::max<int64_t>(1, grain_or_chunk);
  if (dynamic) {
    job.chunks = (n + job.chunk - 1) / job.chunk;
  } else {
    job.parts = static_cast<int>(std::min<int64_t>(size_, std::max<int64_t>(1, n / job.chunk)));
  }
  if (size_ == 1 || (dynamic ? job.chunks <= 1 : job.parts <= 1)) {
    thunk(ctx, 0, n, 0);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    job.number = static_cast<uint32_t>(generation_.load(std::memory_order_relaxed) + 1);
    job_ = job;
    done_.store(0, std::memory_order_relaxed);
    claim_.store(uint64_t{job.number} << 32, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  start_cv_.notify_all();
  if (dynamic) {
    runChunks(job, 0);
    waitDone(job.chunks);
  } else {
    int64_t b, e;
    partRange(n, job.parts, 0, &b, &e);
    thunk(ctx, b, e, 0);
    waitDone(job.parts - 1);
  }
}

void ThreadPool::runChunks(const Job& job, int worker) {
  uint64_t c = claim_.load(std::memory_order_acquire);
  for (;;) {
    // a claim word of another job (a late worker) or past the last chunk: nothing left to take
    if (jobOf(c) != job.number || static_cast<int64_t>(c & 0xffffffffu) >= job.chunks) return;
    if (!claim_.compare_exchange_weak(c, c + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
    const int64_t b = static_cast<int64_t>(c & 0xffffffffu) * job.chunk, e = std::min(job.n, b + job.chunk);
    job.thunk(job.ctx, b, e, worker);
    if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == job.chunks && worker != 0) {
      std::lock_guard<std::mutex> lock(mu_);
      done_cv_.notify_one();
    }
    c = claim_.load(std::memory_order_acquire);
  }
}

void ThreadPool::waitDone(int64_t target) {
  for (int i = 0; i < kSpinPolls; ++i) {
    if (done_.load(std::memory_order_acquire) == target) return;
    FOLIO_SPIN_PAUSE();
  }
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return done_.load(std::memory_order_acquire) == target; });
}

void ThreadPool::workerLoop(int worker) {
  uint64_t seen = 0;
  for (;;) {
    for (int i = 0; i < kSpinPolls && generation_.load(std::memory_order_acquire) == seen; ++i) FOLIO_SPIN_PAUSE();
    Job job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_cv_.wait(lock, [&] { return stop_ || generation_.load(std::memory_order_relaxed) != seen; });
      if (stop_) return;
      seen = generation_.load(std::memory_order_relaxed);
      job = job_;
    }
    // A static job waits for every range, so it is still the current one here. A dynamic job may be
    // over already (the other threads took every chunk): its claims carry its number, so a late
    // worker claims nothing.
    if (job.dynamic) {
      runChunks(job, worker);
    } else if (worker < job.parts) {
      int64_t b, e;
      partRange(job.n, job.parts, worker, &b, &e);
      job.thunk(job.ctx, b, e, worker);
      if (done_.fetch_add(1, std::memory_order_acq_rel) + 1 == job.parts - 1) {
        std::lock_guard<std::mutex> lock(mu_);
        done_cv_.notify_one();
      }
    }
  }
}

}  // namespace folio::engine

// ThreadPool: both loops cover every item exactly once, give each call a valid worker, and survive
// many back-to-back jobs of mixed kinds (the decode pattern); parallelFor's ranges run concurrently.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "engine/model/thread_pool.h"

namespace folio::engine {
namespace {

TEST(ThreadPool, ChunksCoverEveryItemOnceWithValidWorkers) {
  for (int threads : {1, 2, 3, 5}) {
    ThreadPool pool(threads);
    for (int64_t n : {1, 2, 7, 64, 1000, 4099}) {
      for (int64_t chunk : {1, 3, 16, 5000}) {
        std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
        std::atomic<bool> bad_worker{false}, bad_range{false};
        pool.parallelChunks(n, chunk, [&](int64_t b, int64_t e, int w) {
          if (w < 0 || w >= pool.size()) bad_worker = true;
          if (b >= e || b % chunk != 0 || (e != n && (e - b) % chunk != 0)) bad_range = true;
          for (int64_t i = b; i < e; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
        });
        EXPECT_FALSE(bad_worker) << threads << " threads, n " << n << ", chunk " << chunk;
        EXPECT_FALSE(bad_range) << threads << " threads, n " << n << ", chunk " << chunk;
        for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1) << "item " << i;
      }
    }
  }
}

TEST(ThreadPool, NoWorkerRunsTwoChunksAtOnce) {
  ThreadPool pool(4);
  std::vector<std::atomic<int>> busy(4);
  std::atomic<bool> overlap{false};
  for (int rep = 0; rep < 200; ++rep) {
    pool.parallelChunks(64, 1, [&](int64_t, int64_t, int w) {
      if (busy[static_cast<size_t>(w)].fetch_add(1) != 0) overlap = true;
      busy[static_cast<size_t>(w)].fetch_sub(1);
    });
  }
  EXPECT_FALSE(overlap);
}

TEST(ThreadPool, ParallelForRangesRunConcurrently) {
  // every range waits until all ranges have started: only possible when they run at the same time
  // (tensor-parallel ranks block on each other the same way)
  for (int threads : {2, 4}) {
    ThreadPool pool(threads);
    std::atomic<int> started{0};
    std::atomic<int> calls{0};
    pool.parallelFor(threads, 1, [&](int64_t b, int64_t e, int) {
      EXPECT_EQ(e - b, 1);
      calls.fetch_add(1);
      started.fetch_add(1);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (started.load() < threads && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    });
    EXPECT_EQ(started.load(), threads);
    EXPECT_EQ(calls.load(), threads);
  }
}

TEST(ThreadPool, ManyMixedJobsBackToBack) {
  ThreadPool pool(3);
  std::atomic<int64_t> sum{0};
  int64_t expected = 0;
  for (int job = 0; job < 20000; ++job) {
    const int64_t n = 1 + job % 37;
    expected += n * (n - 1) / 2;
    auto add = [&](int64_t b, int64_t e, int) {
      int64_t s = 0;
      for (int64_t i = b; i < e; ++i) s += i;
      sum.fetch_add(s);
    };
    if (job % 3 == 0) {
      pool.parallelFor(n, 2, add);
    } else {
      pool.parallelChunks(n, 1 + job % 5, add);
    }
  }
  EXPECT_EQ(sum.load(), expected);
}

TEST(ThreadPool, LateWorkerClaimsNothingOfTheNextJob) {
  // the caller takes every chunk of the first job while the worker sleeps; the second job must still
  // see each of its chunks exactly once
  ThreadPool pool(2);
  for (int rep = 0; rep < 500; ++rep) {
    std::atomic<int> first{0}, second{0};
    pool.parallelChunks(4, 1, [&](int64_t, int64_t, int w) {
      if (w != 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
      first.fetch_add(1);
    });
    pool.parallelChunks(6, 1, [&](int64_t, int64_t, int) { second.fetch_add(1); });
    ASSERT_EQ(first.load(), 4);
    ASSERT_EQ(second.load(), 6);
  }
}

}  // namespace
}  // namespace folio::engine

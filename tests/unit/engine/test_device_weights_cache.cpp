// Model::deviceWeights(): device copies of a model's weights made once per (type, device) and kept while
// the model lives. The entries here are real host objects made by counting makers (the CUDA upload that
// fills it in production needs a device; tests/gpu/test_cuda_shared_weights.cpp covers that).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/parallel/rank_weights.h"
#include "test_session_support.h"

namespace folio::engine {
namespace {

using Floats = std::vector<float>;
using Ints = std::vector<int>;

// A maker that counts its calls and returns a vector filled with `value`.
template <class T>
DeviceWeightsCache::Maker<T> counting(std::atomic<int>& calls, typename T::value_type value) {
  return [&calls, value]() -> Result<std::shared_ptr<const T>> {
    calls.fetch_add(1);
    return std::make_shared<const T>(4, value);
  };
}

TEST(DeviceWeightsCache, MakesOncePerDeviceAndType) {
  DeviceWeightsCache cache;
  std::atomic<int> calls{0};
  auto first = cache.getOrMake<Floats>(0, counting<Floats>(calls, 1.0f));
  auto again = cache.getOrMake<Floats>(0, counting<Floats>(calls, 2.0f));
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first.value(), again.value());  // the same object, not an equal copy
  EXPECT_EQ((*again.value())[0], 1.0f);
  EXPECT_EQ(calls.load(), 1);

  auto other_device = cache.getOrMake<Floats>(1, counting<Floats>(calls, 3.0f));
  auto other_type = cache.getOrMake<Ints>(0, counting<Ints>(calls, 4));
  ASSERT_TRUE(other_device.ok() && other_type.ok());
  EXPECT_NE(other_device.value(), first.value());
  EXPECT_EQ((*other_device.value())[0], 3.0f);
  EXPECT_EQ((*other_type.value())[0], 4);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(cache.makes(), 3);
  EXPECT_EQ(cache.size(), 3u);

  EXPECT_EQ(cache.find<Floats>(1), other_device.value());
  EXPECT_EQ(cache.find<Floats>(2), nullptr);
  EXPECT_EQ(cache.find<Ints>(1), nullptr);
}

TEST(DeviceWeightsCache, EachShardIsItsOwnEntryBesideTheWholeModel) {
  // a tensor-parallel rank's part on a device is not the whole model's upload there, nor another rank's
  DeviceWeightsCache cache;
  std::atomic<int> calls{0};
  const int rank0 = DeviceWeightsCache::partOfShard(0, 2), rank1 = DeviceWeightsCache::partOfShard(1, 2);
  EXPECT_NE(rank0, 0);
  EXPECT_NE(rank0, rank1);
  EXPECT_NE(rank1, DeviceWeightsCache::partOfShard(1, 4));
  auto whole = cache.getOrMake<Floats>(0, counting<Floats>(calls, 1.0f));
  auto part0 = cache.getOrMake<Floats>(0, rank0, counting<Floats>(calls, 2.0f));
  auto part1 = cache.getOrMake<Floats>(0, rank1, counting<Floats>(calls, 3.0f));
  auto part0_again = cache.getOrMake<Floats>(0, rank0, counting<Floats>(calls, 4.0f));
  ASSERT_TRUE(whole.ok() && part0.ok() && part1.ok() && part0_again.ok());
  EXPECT_EQ((*whole.value())[0], 1.0f);
  EXPECT_EQ((*part0.value())[0], 2.0f);
  EXPECT_EQ((*part1.value())[0], 3.0f);
  EXPECT_EQ(part0_again.value(), part0.value());
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(cache.find<Floats>(0), whole.value());
  EXPECT_EQ(cache.find<Floats>(0, rank1), part1.value());
  EXPECT_EQ(cache.find<Floats>(1, rank1), nullptr);
}

TEST(DeviceWeightsCache, FailedMakeIsNotKept) {
  DeviceWeightsCache cache;
  auto failed = cache.getOrMake<Floats>(0, []() -> Result<std::shared_ptr<const Floats>> {
    return Error{ErrorKind::Unsupported, "weights do not fit"};
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "weights do not fit");
  EXPECT_EQ(cache.makes(), 0);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.find<Floats>(0), nullptr);
  std::atomic<int> calls{0};
  auto retried = cache.getOrMake<Floats>(0, counting<Floats>(calls, 5.0f));
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(cache.makes(), 1);
}

// Sessions started at once on one device (two serve requests) wait for a single make and share it.
TEST(DeviceWeightsCache, ConcurrentCallersShareOneMake) {
  DeviceWeightsCache cache;
  std::atomic<int> calls{0};
  const auto slow = [&calls]() -> Result<std::shared_ptr<const Floats>> {
    calls.fetch_add(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return std::make_shared<const Floats>(1000, 7.0f);
  };
  constexpr int kThreads = 8;
  std::vector<std::shared_ptr<const Floats>> got(kThreads);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      auto r = cache.getOrMake<Floats>(0, slow);
      if (r.ok()) got[static_cast<size_t>(t)] = r.value();
    });
  }
  go.store(true);
  for (auto& th : threads) th.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(cache.makes(), 1);
  for (const auto& p : got) EXPECT_EQ(p, got[0]);
  ASSERT_NE(got[0], nullptr);
}

// A long make for one device (an upload of tens of GB) does not hold up another device's.
TEST(DeviceWeightsCache, AMakeDoesNotBlockOtherDevices) {
  DeviceWeightsCache cache;
  std::mutex m;
  std::condition_variable cv;
  bool started = false, other_done = false;
  std::thread slow([&] {
    auto r = cache.getOrMake<Floats>(0, [&]() -> Result<std::shared_ptr<const Floats>> {
      std::unique_lock lock(m);
      started = true;
      cv.notify_all();
      // device 1's make has to finish while this one is in progress; a cache that serialised all makes
      // would keep it waiting until this times out
      if (!cv.wait_for(lock, std::chrono::seconds(10), [&] { return other_done; }))
        return Error{ErrorKind::Internal, "device 1 was blocked behind device 0"};
      return std::make_shared<const Floats>(1, 0.0f);
    });
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return started; });
  }
  std::atomic<int> calls{0};
  auto other = cache.getOrMake<Floats>(1, counting<Floats>(calls, 1.0f));
  {
    std::lock_guard lock(m);
    other_done = true;
  }
  cv.notify_all();
  slow.join();
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(cache.makes(), 2);
}

// The entries belong to the Model: every session of it shares them, another load of the same directory
// has its own, and they go when the model does.
TEST(DeviceWeightsCache, LivesAsLongAsTheModel) {
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  auto reloaded = test::loadFixtureModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model && reloaded);
  std::atomic<int> calls{0};
  std::weak_ptr<const Floats> entry;
  {
    auto made = model->deviceWeights().getOrMake<Floats>(0, counting<Floats>(calls, 1.0f));
    ASSERT_TRUE(made.ok());
    entry = made.value();
  }
  EXPECT_FALSE(entry.expired());  // kept by the model, not by the caller
  EXPECT_EQ(model->deviceWeights().find<Floats>(0), entry.lock());
  EXPECT_EQ(reloaded->deviceWeights().find<Floats>(0), nullptr);
  model.reset();
  EXPECT_TRUE(entry.expired());
}

// The CPU backend computes from the mapped weights and makes no device copies; a CUDA request that
// cannot run (no CUDA build, or no device) leaves nothing behind either.
TEST(DeviceWeightsCache, CpuSessionsAndRefusedCudaLeaveItEmpty) {
  auto model = test::loadFixtureModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  auto cpu = test::openSession(model, SessionOptions{});
  ASSERT_TRUE(cpu);
  EXPECT_EQ(model->deviceWeights().size(), 0u);
  SessionOptions cuda;
  cuda.backend = Backend::Cuda;
  if (Session::create(model, cuda).ok()) GTEST_SKIP() << "a CUDA device is present (tests/gpu covers it)";
  EXPECT_EQ(model->deviceWeights().size(), 0u);
  EXPECT_EQ(model->deviceWeights().makes(), 0);
}

// A CPU session split over tensor-parallel ranks multiplies with column shards copied from the mapped
// weights; every split session of the model shares one copy per (rank count, rank) instead of making its own.
TEST(DeviceWeightsCache, SplitCpuSessionsShareTheirRanksCopies) {
  auto model = test::loadFixtureModel("tiny-bf16-h4-gqa2-lsls-hfcfg");
  ASSERT_TRUE(model);
  SessionOptions two;
  two.tensor_parallel = 2;
  two.threads = 2;
  auto first = test::openSession(model, two);
  auto second = test::openSession(model, two);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(model->deviceWeights().makes(), 2);  // one per rank, not per session
  for (int r = 0; r < 2; ++r) {
    EXPECT_NE(model->deviceWeights().find<RankWeights>(DeviceWeightsCache::kHost, DeviceWeightsCache::partOfShard(r, 2)),
              nullptr);
  }
  SessionOptions four = two;
  four.tensor_parallel = 4;
  auto other_split = test::openSession(model, four);
  ASSERT_TRUE(other_split);
  EXPECT_EQ(model->deviceWeights().makes(), 6);  // another rank count splits the columns another way

  // sessions over shared copies still compute the model: two and four ranks agree up to summation order
  const auto prompt = test::fixedPrompt(37);
  ASSERT_TRUE(first->prefill(prompt).ok());
  ASSERT_TRUE(other_split->prefill(prompt).ok());
  const auto a = first->lastLogits(), b = other_split->lastLogits();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-4f) << "logit " << i;
}

}  // namespace
}  // namespace folio::engine

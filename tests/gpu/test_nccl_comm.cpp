// NcclComm on real devices: a 1-rank group (all-reduce and all-gather leave the data as it is, the barrier
// returns), a 2-rank group when two devices exist (sums and rank-ordered gathers across them), and clear
// errors for devices and ranks that do not exist. Skipped without a CUDA device.
#include <gtest/gtest.h>

#include <cuda_runtime.h>

#include <string>
#include <thread>
#include <vector>

#include "engine/parallel/cuda/nccl_comm.h"
#include "kernels/cuda/device.h"

namespace folio::engine {
namespace {

// A device copy of host floats on `device`, freed at scope exit.
class DeviceFloats {
 public:
  DeviceFloats(int device, const std::vector<float>& host) : n_(host.size()) {
    EXPECT_EQ(cudaSetDevice(device), cudaSuccess);
    EXPECT_EQ(cudaMalloc(&ptr_, n_ * sizeof(float) + 4), cudaSuccess);
    EXPECT_EQ(cudaMemcpy(ptr_, host.data(), n_ * sizeof(float), cudaMemcpyHostToDevice), cudaSuccess);
  }
  ~DeviceFloats() { cudaFree(ptr_); }
  float* get() { return ptr_; }
  std::vector<float> host() const {
    std::vector<float> out(n_);
    EXPECT_EQ(cudaMemcpy(out.data(), ptr_, n_ * sizeof(float), cudaMemcpyDeviceToHost), cudaSuccess);
    return out;
  }

 private:
  size_t n_;
  float* ptr_ = nullptr;
};

std::vector<float> ramp(size_t n, float scale) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>(i % 97) - 3.0f;
  return v;
}

TEST(NcclComm, OneRankLeavesDataAsItIs) {
  if (kernels::cuda::deviceCount() == 0) GTEST_SKIP() << "no CUDA device";
  auto group = NcclComm::createLocalGroup({0});
  ASSERT_TRUE(group.ok()) << group.error().message;
  NcclComm& comm = *group.value()[0];
  EXPECT_EQ(comm.rank(), 0);
  EXPECT_EQ(comm.size(), 1);
  const std::vector<float> values = ramp(1001, 0.25f);
  DeviceFloats data(0, values);
  ASSERT_TRUE(comm.allReduceSum(data.get(), 1001).ok());
  DeviceFloats gathered(0, std::vector<float>(1001, -1.0f));
  ASSERT_TRUE(comm.allGather(data.get(), 1001, gathered.get()).ok());
  ASSERT_TRUE(comm.barrier().ok());
  EXPECT_EQ(data.host(), values);
  EXPECT_EQ(gathered.host(), values);
}

TEST(NcclComm, TwoRanksSumAndGatherAcrossDevices) {
  if (kernels::cuda::deviceCount() < 2) GTEST_SKIP() << "needs two CUDA devices";
  auto group = NcclComm::createLocalGroup({0, 1});
  ASSERT_TRUE(group.ok()) << group.error().message;
  const size_t n = 4099;
  std::vector<std::vector<float>> sums(2), gathers(2);
  std::vector<std::string> errors(2);
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&, r] {
      NcclComm& comm = *group.value()[static_cast<size_t>(r)];
      DeviceFloats data(comm.device(), ramp(n, static_cast<float>(r + 1)));
      DeviceFloats gathered(comm.device(), std::vector<float>(2 * n, 0.0f));
      DeviceFloats mine(comm.device(), std::vector<float>(n, static_cast<float>(10 * r)));
      Status s = comm.allReduceSum(data.get(), static_cast<int64_t>(n));
      if (s.ok()) s = comm.allGather(mine.get(), static_cast<int64_t>(n), gathered.get());
      if (s.ok()) s = comm.barrier();
      if (!s.ok()) errors[static_cast<size_t>(r)] = s.error().message;
      sums[static_cast<size_t>(r)] = data.host();
      gathers[static_cast<size_t>(r)] = gathered.host();
    });
  }
  for (std::thread& t : threads) t.join();
  const std::vector<float> a = ramp(n, 1.0f), b = ramp(n, 2.0f);
  for (int r = 0; r < 2; ++r) {
    ASSERT_EQ(errors[static_cast<size_t>(r)], "");
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(sums[static_cast<size_t>(r)][i], a[i] + b[i]) << "rank " << r << " element " << i;
      ASSERT_EQ(gathers[static_cast<size_t>(r)][i], 0.0f);
      ASSERT_EQ(gathers[static_cast<size_t>(r)][n + i], 10.0f);
    }
  }
}

TEST(NcclComm, MissingDevicesAndRanksAreClearErrors) {
  if (kernels::cuda::deviceCount() == 0) GTEST_SKIP() << "no CUDA device";
  const int missing = kernels::cuda::deviceCount() + 3;
  auto group = NcclComm::createLocalGroup({missing});
  ASSERT_FALSE(group.ok());
  EXPECT_NE(group.error().message.find("CUDA device " + std::to_string(missing) + " does not exist"),
            std::string::npos)
      << group.error().message;
  auto id = NcclComm::newGroupId();
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto comm = NcclComm::create(id.value(), 2, 2, 0);
  ASSERT_FALSE(comm.ok());
  EXPECT_NE(comm.error().message.find("rank 2 is outside a group of 2"), std::string::npos) << comm.error().message;
}

}  // namespace
}  // namespace folio::engine

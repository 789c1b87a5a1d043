// The CUDA session draws each generated token on the device (Session::sampleNext: argmax, or
// kernels::cuda::sampleRow with the sampler's own uniform draw) instead of reading the logits row back.
// Checked against the host draw on the same session type: two sessions fed the same tokens, one
// sampling on the device and one through the host form (Session::sampleNext's base, which reads
// lastLogits()), must pick the same tokens from the same seed. Skipped without a device.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/cuda/cuda_session.h"
#include "engine/generation/sampler.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "gpu/gpu_fixtures.h"
#include "gpu/gpu_test_util.h"

using namespace folio;
using namespace folio::engine;

namespace {

std::shared_ptr<const Model> loadModel(const std::string& name) {
  auto model = Model::load(test::gpuFixturesDir() / "models" / name);
  EXPECT_TRUE(model.ok()) << name << ": " << (model.ok() ? "" : model.error().message);
  return model.ok() ? model.value() : nullptr;
}

SessionOptions cudaOptions(std::vector<int> devices) {
  SessionOptions o;
  o.backend = Backend::Cuda;
  o.context_capacity = 512;
  o.devices = std::move(devices);
  return o;
}

// Generates `steps` tokens after a fixed prompt, each drawn by device (sampleNext) or host
// (Session::sampleNext, the base form), feeding every token back.
std::vector<int32_t> generate(Session& s, const SamplingParams& params, uint64_t seed, bool on_device, int steps) {
  std::vector<int32_t> prompt;
  for (int i = 0; i < 40; ++i) prompt.push_back((i * 7919 + 13) % 306);
  EXPECT_TRUE(s.prefill(prompt).ok());
  Sampler sampler(static_cast<int>(s.lastLogits().size()), params, seed);
  std::vector<int32_t> out;
  for (int i = 0; i < steps; ++i) {
    auto next = on_device ? s.sampleNext(sampler) : s.Session::sampleNext(sampler);
    EXPECT_TRUE(next.ok()) << (next.ok() ? "" : next.error().message);
    if (!next.ok()) break;
    out.push_back(next.value());
    EXPECT_TRUE(s.decode(next.value()).ok());
  }
  return out;
}

struct Case {
  const char* name;
  SamplingParams params;
};

const Case kCases[] = {
    {"greedy", {0.0, 0, 1.0}},
    {"temperature 0.8", {0.8, 0, 1.0}},
    {"temperature 1.3, top-k 5", {1.3, 5, 1.0}},
    {"temperature 0.7, top-p 0.9", {0.7, 0, 0.9}},
    {"temperature 1, top-k 40, top-p 0.5", {1.0, 40, 0.5}},
};

void expectDeviceDrawsAsHost(const std::shared_ptr<const Model>& model, const std::vector<int>& devices, bool split) {
  for (const Case& c : kCases) {
    for (uint64_t seed : {1ull, 77ull}) {
      auto open = [&]() {
        auto s = split ? createCudaTensorParallelSession(model, cudaOptions(devices), CudaCollectives::HostStaged)
                       : Session::create(model, cudaOptions(devices));
        EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
        return s.ok() ? std::move(s.value()) : nullptr;
      };
      auto device = open(), host = open();
      ASSERT_TRUE(device && host);
      const auto got = generate(*device, c.params, seed, true, 48);
      const auto want = generate(*host, c.params, seed, false, 48);
      EXPECT_EQ(got, want) << c.name << ", seed " << seed;
    }
  }
}

TEST(CudaSessionSampling, DeviceDrawsMatchHostDrawsFromTheSameSeed) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const auto model = loadModel("tiny-f32-h4-shared-text01");
  ASSERT_TRUE(model);
  expectDeviceDrawsAsHost(model, {0}, false);
}

TEST(CudaSessionSampling, SplitSessionsDrawFromTheGatheredRow) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  const auto model = loadModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  expectDeviceDrawsAsHost(model, {0, 0}, true);
}

TEST(CudaSessionSampling, LastLogitsAfterDeviceDecodeAreTheRowTheDeviceDrewFrom) {
  // a decode step leaves its row on the device; the device draw must come from that row, and
  // lastLogits() (snapshots, any caller that reads the row) must still read it afterwards
  FOLIO_REQUIRE_CUDA_DEVICE();
  const auto model = loadModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  auto s = Session::create(model, cudaOptions({0}));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(s.value()->prefill(std::vector<int32_t>{3, 1, 4, 1, 5}).ok());
  ASSERT_TRUE(s.value()->decode(9).ok());
  Sampler greedy(static_cast<int>(model->config().vocab_size), SamplingParams{}, 0);
  auto drawn = s.value()->sampleNext(greedy);  // on the device: the row has not been read back
  ASSERT_TRUE(drawn.ok());
  const std::vector<float> row(s.value()->lastLogits().begin(), s.value()->lastLogits().end());
  ASSERT_EQ(row.size(), static_cast<size_t>(model->config().vocab_size));
  EXPECT_EQ(drawn.value(), argmaxLogit(row));
}

}  // namespace

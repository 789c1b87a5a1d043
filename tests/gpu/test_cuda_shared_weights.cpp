// Sessions on one model and device share one upload of its weights (Model::deviceWeights()): a second
// session costs device memory for its own state and scratch only, the weights stay resident between
// sessions while the model lives and go with it, and two sessions created and run at once from two
// threads (two serve requests) upload once and compute what a lone session computes. Skipped without a
// device. Dimension letters: T tokens, V vocab.
#include <gtest/gtest.h>

#include <cuda_runtime_api.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "engine/cuda/device_model.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "gpu/gpu_fixtures.h"
#include "gpu/gpu_test_util.h"
#include "support/safetensors_writer.h"

namespace fs = std::filesystem;
using namespace folio;
using namespace folio::engine;

namespace {

int64_t freeDeviceBytes() {
  FOLIO_CUDA_CHECK(cudaDeviceSynchronize());
  size_t free = 0, total = 0;
  FOLIO_CUDA_CHECK(cudaMemGetInfo(&free, &total));
  return static_cast<int64_t>(free);
}

// The hand-written tiny model (tests/support) with a vocabulary of 2^21, so that its embedding and
// lm_head ([V, 8] bf16, 32 MiB each) make an upload far above the allocator's granularity.
std::shared_ptr<const Model> wideVocabModel() {
  constexpr int64_t V = int64_t{1} << 21;
  std::string config = test::tinyModelConfigJson({});
  const std::string from = "\"vocab_size\": 16";
  config.replace(config.find(from), from.size(), "\"vocab_size\": " + std::to_string(V));
  std::vector<test::StTensor> tensors = test::tinyModelTensors({});
  for (auto& t : tensors) {
    if (t.name == "model.embed_tokens.weight" || t.name == "lm_head.weight") t.shape = {V, 8};
  }
  const fs::path dir = test::writeModelDir(config, tensors);
  auto model = Model::load(dir);
  fs::remove_all(dir);
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message);
  return model.ok() ? model.value() : nullptr;
}

SessionOptions cudaOptions(int64_t capacity, int chunk) {
  SessionOptions o;
  o.backend = Backend::Cuda;
  o.context_capacity = capacity;
  o.prefill_chunk = chunk;
  return o;
}

// One session run and dropped on another model, so that what the process sets up once per device (the
// context, cuBLAS, kernel modules, the stream-ordered pool) is in place before memory is measured.
void warmUp() {
  auto model = Model::load(test::gpuFixturesDir() / "models" / "tiny-f32-h4-ls");
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto s = Session::create(model.value(), cudaOptions(32, 7));
  ASSERT_TRUE(s.ok()) << s.error().message;
  const std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  ASSERT_TRUE((*s)->prefill(ids).ok());
  ASSERT_TRUE((*s)->decode(21).ok());
}

TEST(CudaSharedWeights, SecondSessionDoesNotUploadAgain) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  ASSERT_NO_FATAL_FAILURE(warmUp());
  auto model = wideVocabModel();
  ASSERT_TRUE(model);
  const int64_t weights = cuda::DeviceModel::uploadBytes(*model);
  ASSERT_GE(weights, int64_t{64} << 20);
  constexpr int64_t kSlack = int64_t{4} << 20;  // allocation granularity and driver bookkeeping

  const int64_t free0 = freeDeviceBytes();
  auto a = Session::create(model, cudaOptions(8, 1));
  ASSERT_TRUE(a.ok()) << a.error().message;
  const int64_t free1 = freeDeviceBytes();
  auto b = Session::create(model, cudaOptions(8, 1));
  ASSERT_TRUE(b.ok()) << b.error().message;
  const int64_t free2 = freeDeviceBytes();
  const int64_t first = free0 - free1, second = free1 - free2;
  std::printf("[ gpu ] weights %lld B; first session took %lld B of device memory, second %lld B\n",
              static_cast<long long>(weights), static_cast<long long>(first), static_cast<long long>(second));
  EXPECT_EQ(model->deviceWeights().makes(), 1);
  EXPECT_GE(first, weights);                    // the upload and the first session's state
  EXPECT_LE(second, first - weights + kSlack);  // the second session's state alone
  EXPECT_GT(second, 0);

  // The weights stay while the model lives (the next request reuses them) and go with it.
  a = Error{};
  b = Error{};
  const int64_t free3 = freeDeviceBytes();
  EXPECT_GE(free0 - free3, weights - kSlack);
  auto c = Session::create(model, cudaOptions(8, 1));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(model->deviceWeights().makes(), 1);
  c = Error{};
  model.reset();
  const int64_t free4 = freeDeviceBytes();
  EXPECT_LE(free0 - free4, kSlack);
}

struct Generated {
  std::vector<float> prefill;  // [T, V]
  std::vector<float> decode;   // [steps, V]
  std::string error;
};

// Prefill `ids`, then decode greedily `steps` tokens, keeping every logit row.
Generated generate(const std::shared_ptr<const Model>& model, const std::vector<int32_t>& ids, int steps,
             const std::atomic<bool>* go) {
  Generated r;
  while (go && !go->load()) std::this_thread::yield();
  auto s = Session::create(model, cudaOptions(static_cast<int64_t>(ids.size()) + steps, 7));
  if (!s.ok()) return Generated{{}, {}, s.error().message};
  if (auto p = (*s)->prefill(ids, &r.prefill); !p.ok()) return Generated{{}, {}, p.error().message};
  for (int i = 0; i < steps; ++i) {
    const auto logits = (*s)->lastLogits();
    const int32_t next = static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
    if (auto d = (*s)->decode(next); !d.ok()) return Generated{{}, {}, d.error().message};
    r.decode.insert(r.decode.end(), (*s)->lastLogits().begin(), (*s)->lastLogits().end());
  }
  return r;
}

double relativeL2(const std::vector<float>& got, const std::vector<float>& want) {
  double num = 0, den = 0;
  for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
    num += (double(got[i]) - want[i]) * (double(got[i]) - want[i]);
    den += double(want[i]) * want[i];
  }
  return got.size() == want.size() ? std::sqrt(num / std::max(den, 1e-30)) : 1.0;
}

TEST(CudaSharedWeights, ConcurrentSessionsShareOneUploadAndMatchALoneSession) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  auto loaded = Model::load(test::gpuFixturesDir() / "models" / "tiny-f32-h4-ls");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const std::shared_ptr<const Model> model = loaded.value();
  const int64_t V = model->config().vocab_size;
  std::vector<int32_t> ids(40);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int32_t>((i * 7919 + 13) % static_cast<size_t>(V));

  std::atomic<bool> go{false};
  Generated runs[2];
  std::thread t0([&] { runs[0] = generate(model, ids, 12, &go); });
  std::thread t1([&] { runs[1] = generate(model, ids, 12, &go); });
  go.store(true);
  t0.join();
  t1.join();
  const Generated alone = generate(model, ids, 12, nullptr);
  ASSERT_TRUE(alone.error.empty()) << alone.error;
  EXPECT_EQ(model->deviceWeights().makes(), 1);
  for (const Generated& r : runs) {
    ASSERT_TRUE(r.error.empty()) << r.error;
    EXPECT_LE(relativeL2(r.prefill, alone.prefill), 1e-6);
    EXPECT_LE(relativeL2(r.decode, alone.decode), 1e-6);
  }
}

}  // namespace

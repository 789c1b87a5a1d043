// Batched decode on the GPU (engine/cuda/cuda_batch_runner.h through engine/model/decode_batcher.h):
// CUDA sessions decoding at once in their own threads through one batcher must give, token by token,
// the logits of the same sessions decoding alone, up to the summation order of a B-row product (printed
// as "[ gpu ]" lines); with an fp32 checkpoint also the same routing. Prompts of different lengths (past
// the 256-token block), one session with τ 0.5 (its own step: the device router takes one τ), a bf16
// head-dim-64 model (tensor-core attention) and GQA. A token drawn on the device after a batched step
// comes from the session's own row. Skipped without a device.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "engine/cuda/cuda_forward.h"
#include "engine/cuda/device_buffer.h"
#include "engine/cuda/device_model.h"
#include "engine/cuda/device_state.h"
#include "engine/generation/sampler.h"
#include "engine/model/decode_batcher.h"
#include "engine/model/model.h"
#include "engine/model/session.h"
#include "gpu/gpu_fixtures.h"
#include "gpu/gpu_test_util.h"

using namespace folio;
using namespace folio::engine;

namespace {

constexpr int kTokens = 24;
const std::vector<size_t> kPromptLengths = {300, 7, 129, 260};

std::shared_ptr<const Model> loadModel(const std::string& name) {
  auto model = Model::load(test::gpuFixturesDir() / "models" / name);
  EXPECT_TRUE(model.ok()) << name << ": " << (model.ok() ? "" : model.error().message);
  return model.ok() ? model.value() : nullptr;
}

std::vector<int32_t> prompt(size_t s) {
  std::vector<int32_t> ids(kPromptLengths[s]);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int32_t>((i * (7919 + 2 * s) + 13) % 306);
  return ids;
}

int32_t feedToken(size_t s, int i) { return static_cast<int32_t>((s * 31 + static_cast<size_t>(i) * 17 + 5) % 306); }

SessionOptions cudaOptions(size_t s, std::shared_ptr<DecodeBatcher> batcher) {
  SessionOptions o;
  o.backend = Backend::Cuda;
  o.context_capacity = 340;
  o.expert_threshold = s == 2 ? 0.5 : 1.0;
  o.decode_batcher = std::move(batcher);
  return o;
}

struct Run {
  std::vector<std::vector<float>> logits;  // [session][token · V]
  std::vector<std::vector<int64_t>> counts;  // [session] routing counts [L · E]
};

// Every session prefills its prompt and decodes kTokens fed tokens; with a batcher each in its own thread.
Run decodeAll(const std::shared_ptr<const Model>& model, std::shared_ptr<DecodeBatcher> batcher) {
  const size_t S = kPromptLengths.size();
  Run run{std::vector<std::vector<float>>(S), std::vector<std::vector<int64_t>>(S)};
  auto one = [&](size_t s) {
    auto session = Session::create(model, cudaOptions(s, batcher));
    ASSERT_TRUE(session.ok()) << session.error().message;
    ASSERT_EQ((*session)->backend(), Backend::Cuda);
    ASSERT_TRUE((*session)->prefill(prompt(s)).ok());
    for (int i = 0; i < kTokens; ++i) {
      const Status d = (*session)->decode(feedToken(s, i));
      ASSERT_TRUE(d.ok()) << d.error().message;
      const auto row = (*session)->lastLogits();
      run.logits[s].insert(run.logits[s].end(), row.begin(), row.end());
    }
    run.counts[s] = (*session)->routingAggregate().counts;
  };
  if (!batcher) {
    for (size_t s = 0; s < S; ++s) one(s);
    return run;
  }
  std::vector<std::thread> threads;
  for (size_t s = 0; s < S; ++s) threads.emplace_back(one, s);
  for (auto& t : threads) t.join();
  return run;
}

void expectBatchedAsAlone(const std::string& fixture, double bound, bool same_routing) {
  SCOPED_TRACE(fixture);
  auto model = loadModel(fixture);
  ASSERT_TRUE(model);
  auto batcher = DecodeBatcher::create(model, {.max_batch = 4});
  ASSERT_TRUE(batcher.ok()) << batcher.error().message;
  const Run alone = decodeAll(model, nullptr);
  const Run together = decodeAll(model, batcher.value());
  const size_t V = static_cast<size_t>(model->config().vocab_size);
  double worst = 0;
  int argmax_differs = 0;
  for (size_t s = 0; s < kPromptLengths.size(); ++s) {
    ASSERT_EQ(together.logits[s].size(), static_cast<size_t>(kTokens) * V);
    for (int i = 0; i < kTokens; ++i) {
      const float* a = alone.logits[s].data() + static_cast<size_t>(i) * V;
      const float* b = together.logits[s].data() + static_cast<size_t>(i) * V;
      double diff = 0, scale = 0;
      for (size_t v = 0; v < V; ++v) {
        diff = std::max(diff, std::fabs(double(a[v]) - double(b[v])));
        scale = std::max(scale, std::fabs(double(a[v])));
      }
      worst = std::max(worst, diff / std::max(scale, 1e-30));
      if (std::max_element(a, a + V) - a != std::max_element(b, b + V) - b) ++argmax_differs;
    }
    if (same_routing) EXPECT_EQ(alone.counts[s], together.counts[s]) << "session " << s;
  }
  const auto stats = batcher.value()->stats();
  std::printf("[ gpu ] batched decode %s: 4 sessions x %d tokens in %lld steps (largest %d); worst normalised "
              "logit difference vs alone %.2e, argmax differs at %d of %d\n",
              fixture.c_str(), kTokens, (long long)stats.steps, stats.largest_step, worst, argmax_differs,
              4 * kTokens);
  EXPECT_EQ(stats.tokens, 4 * kTokens);
  EXPECT_LE(worst, bound);
}

TEST(CudaDecodeBatch, Fp32SessionsMatchDecodingAlone) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  expectBatchedAsAlone("tiny-f32-h4-ls", 1e-4, /*same_routing=*/true);
}

TEST(CudaDecodeBatch, Bf16GqaSessionsMatchDecodingAlone) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  expectBatchedAsAlone("tiny-bf16-h4-gqa2-lsls-hfcfg", 2e-3, /*same_routing=*/false);
}

TEST(CudaDecodeBatch, HeadDim64SessionsMatchDecodingAlone) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  expectBatchedAsAlone("tiny-bf16-d64-ls", 2e-3, /*same_routing=*/false);
}

// After a batched step the device draw reads this session's row: greedy equals the host argmax of
// lastLogits(), for two sessions whose rows differ.
TEST(CudaDecodeBatch, DeviceDrawUsesTheSessionsOwnRow) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  auto model = loadModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  auto batcher = DecodeBatcher::create(model, {.max_batch = 2});
  ASSERT_TRUE(batcher.ok());
  std::atomic<int> mismatches{0};
  auto one = [&](size_t s) {
    auto session = Session::create(model, cudaOptions(s == 0 ? 0 : 1, batcher.value()));
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE((*session)->prefill(prompt(s)).ok());
    Sampler greedy(model->config().vocab_size, SamplingParams{0.0, 0, 1.0}, 1);
    int32_t next = feedToken(s, 0);
    for (int i = 0; i < 16; ++i) {
      ASSERT_TRUE((*session)->decode(next).ok());
      auto drawn = (*session)->sampleNext(greedy);
      ASSERT_TRUE(drawn.ok());
      const auto row = (*session)->lastLogits();
      const int32_t host = static_cast<int32_t>(std::max_element(row.begin(), row.end()) - row.begin());
      if (drawn.value() != host) ++mismatches;
      next = drawn.value();
    }
  };
  std::thread a(one, 0), b(one, 1);
  a.join();
  b.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_GE(batcher.value()->stats().tokens, 32);
}

// The MoE of 9–32 rows as gather-GEMV slices of 8 (CudaForward::setMoeGemvTokens) against the grouped
// GEMMs: a 20-token prefill chunk and a batched step of 12 sequences give the same logits (up to
// summation order) and, on an fp32 checkpoint, the same routing.
TEST(CudaDecodeBatch, MoeGemvSlicesMatchTheGroupedProducts) {
  FOLIO_REQUIRE_CUDA_DEVICE();
  auto model = loadModel("tiny-f32-h4-ls");
  ASSERT_TRUE(model);
  auto weights = cuda::DeviceModel::upload(*model, 0);
  ASSERT_TRUE(weights.ok()) << weights.error().message;
  const int64_t V = model->config().vocab_size;
  constexpr int kRows = 20, kSeqs = 12;
  std::vector<int32_t> ids(kRows);
  for (int i = 0; i < kRows; ++i) ids[static_cast<size_t>(i)] = feedToken(1, i);
  struct Out {
    std::vector<float> prefill, batch;
    std::vector<int64_t> counts;
  };
  auto runWith = [&](int64_t gemv_tokens) {
    Out out;
    cuda::CudaStream stream;
    cuda::CudaForward forward(weights.value(), kRows, stream.get());
    forward.setMoeGemvTokens(gemv_tokens);
    RoutingAggregate aggregate;
    aggregate.reset(model->config().num_layers, model->config().num_experts);
    cuda::DeviceState state(model->config(), kRows + 1);
    out.prefill.resize(static_cast<size_t>(kRows * V));
    std::vector<float> last(static_cast<size_t>(V));
    forward.run(state, 0, ids, /*decode=*/false, out.prefill.data(), last.data(), ForwardRouting{nullptr, &aggregate, 1.0});
    std::vector<std::unique_ptr<cuda::DeviceState>> states;
    std::vector<cuda::DeviceBuffer<float>> rows;
    std::vector<cuda::CudaForward::BatchSequence> seqs;
    for (int b = 0; b < kSeqs; ++b) {
      states.push_back(std::make_unique<cuda::DeviceState>(model->config(), 4));
      rows.emplace_back(static_cast<size_t>(V));
    }
    for (int b = 0; b < kSeqs; ++b) seqs.push_back({states[b].get(), 0, rows[b].get(), ForwardRouting{nullptr, &aggregate, 1.0}});
    forward.decodeBatch(seqs, std::span<const int32_t>(ids.data(), kSeqs));
    out.batch.resize(static_cast<size_t>(kSeqs * V));
    for (int b = 0; b < kSeqs; ++b) {
      FOLIO_CUDA_CHECK(cudaMemcpy(out.batch.data() + b * V, rows[b].get(), static_cast<size_t>(V) * 4, cudaMemcpyDeviceToHost));
    }
    out.counts = aggregate.counts;
    return out;
  };
  const Out grouped = runWith(8), slices = runWith(32);
  auto worst = [](const std::vector<float>& a, const std::vector<float>& b) {
    double diff = 0, scale = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      diff = std::max(diff, std::fabs(double(a[i]) - double(b[i])));
      scale = std::max(scale, std::fabs(double(a[i])));
    }
    return diff / std::max(scale, 1e-30);
  };
  const double prefill = worst(grouped.prefill, slices.prefill), batch = worst(grouped.batch, slices.batch);
  std::printf("[ gpu ] MoE as gather-GEMV slices vs grouped GEMMs (tiny-f32-h4-ls): prefill of 20 rows %.2e, "
              "batched step of 12 %.2e\n", prefill, batch);
  EXPECT_LE(prefill, 1e-5);
  EXPECT_LE(batch, 1e-5);
  EXPECT_EQ(grouped.counts, slices.counts);
}

}  // namespace

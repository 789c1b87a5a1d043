// The tensor-parallel placement of the real MiniMax-M1 config (../shared/models/minimax-m1/config.json) on
// N GPUs, against figures derived by hand from the spec's shapes (C 6144, 70 lightning + 10 softmax layers,
// H 64, KV 8, D 128, E 32, I 9216, V 200064; bf16 weights, f32 routers).
#include <gtest/gtest.h>

#include <string>

#include "engine/model_config.h"
#include "engine/parallel/gpu_placement.h"

namespace folio::engine {
namespace {

constexpr uint64_t kGiB = uint64_t{1} << 30;

ModelConfig m1() {
  auto c = loadModelConfig(std::string(FOLIO_SHARED_DIR) + "/models/minimax-m1");
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return c.ok() ? *c : ModelConfig{};
}

PlacementOptions on(int gpus, double gib, bool int8 = false) {
  PlacementOptions o;
  o.gpus = gpus;
  o.gpu_memory_gib = gib;
  o.int8_experts = int8;
  return o;  // 1,000,000 tokens of context, one sequence, chunk 4096, 2 GiB reserve
}

TEST(GpuPlacement, EightH200sHoldTheBf16Release) {
  const GpuPlacement p = planGpuPlacement(m1(), on(8, 141));
  ASSERT_TRUE(p.not_possible.empty()) << p.not_possible;
  const GpuShareBytes& b = p.per_gpu;
  // lightning: 70 × 2 B × (5 · 8 heads · 128 · 6144 + 8 · 128 norm); softmax: 10 × 2 B × (2·1024 + 2·128) · 6144
  EXPECT_EQ(b.attention, 70ull * 2 * (5ull * 1024 * 6144 + 1024) + 10ull * 2 * (2ull * 1024 + 2 * 128) * 6144);
  EXPECT_EQ(b.attention, 4687278080ull);
  // 80 layers × 32 experts × 3 matrices × 1152 hidden units × 6144 × 2 B
  EXPECT_EQ(b.experts, 108716359680ull);
  EXPECT_EQ(b.shared_expert, 0u);
  // norms (2 per layer + final) in bf16, routers [32, 6144] in f32, on every GPU
  EXPECT_EQ(b.replicated, (2ull * 80 * 6144 + 6144) * 2 + 80ull * 32 * 6144 * 4);
  EXPECT_EQ(b.embedding, 25008ull * 6144 * 2);  // 200064 / 8 rows
  EXPECT_EQ(b.lm_head, 25008ull * 6144 * 2);
  EXPECT_EQ(b.weights(), 114083127296ull);
  // one KV head per GPU: 10 layers × 128 × (K, V) × 2 B × 1M tokens; lightning: 70 × 8 × 128² × 4 B
  EXPECT_EQ(b.kv_cache, 5120000000ull);
  EXPECT_EQ(b.lightning_state, 36700160ull);
  // a 4096-token chunk (the CUDA default), as CudaForward allocates it: fp32 4·T·C + 5·T·1024 + T·(32 + 5)
  // + 2·T·2·6144 + 2·T·2·1152 + T, the lm_head's 83 rows (2^24 / V) · (6144 + 200064) and, over 8 ranks,
  // 83 · (25008 + 8 · 25008); the bf16 input copy T·6144·2
  const uint64_t T = 4096, R = 83;
  EXPECT_EQ(b.activations, 4 * (4 * T * 6144 + 5 * T * 1024 + T * 37 + 2 * T * 2 * 6144 + 2 * T * 2 * 1152 + T +
                                R * (6144 + 200064) + R * 9 * 25008) +
                               2 * T * 6144);
  EXPECT_EQ(b.activations, 1158829120ull);
  EXPECT_EQ(b.reserve, 2 * kGiB);
  EXPECT_EQ(b.total(), 122546140224ull);  // 114.1 GiB
  EXPECT_TRUE(p.fits);
  EXPECT_TRUE(p.refusal.empty());
}

TEST(GpuPlacement, ShardsAddUpToTheCheckpoint) {
  // N shards hold the checkpoint once plus N − 1 extra copies of the replicated norms and routers.
  const ModelConfig c = m1();
  const uint64_t checkpoint = 912210767872ull;  // model.safetensors.index.json total_size
  for (int n : {1, 2, 4, 8}) {
    const GpuPlacement p = planGpuPlacement(c, on(n, 1000));
    ASSERT_TRUE(p.not_possible.empty()) << n;
    EXPECT_EQ(p.per_gpu.weights() * n, checkpoint + (n - 1) * p.per_gpu.replicated) << n;
  }
}

TEST(GpuPlacement, EightEightyGigabyteGpusNeedInt8Experts) {
  const ModelConfig c = m1();
  const GpuPlacement bf16 = planGpuPlacement(c, on(8, 80));
  EXPECT_FALSE(bf16.fits);
  EXPECT_NE(bf16.refusal.find("8 × 80.0 GiB needs 114.1 GiB per GPU"), std::string::npos) << bf16.refusal;
  EXPECT_NE(bf16.refusal.find("34.1 GiB more than each GPU has"), std::string::npos) << bf16.refusal;
  EXPECT_NE(bf16.refusal.find("the weights alone exceed it"), std::string::npos) << bf16.refusal;
  ASSERT_TRUE(bf16.gpus_that_fit.has_value());
  EXPECT_EQ(*bf16.gpus_that_fit, 16);  // 9 … 15 do not split 64 heads

  const GpuPlacement int8 = planGpuPlacement(c, on(8, 80, true));
  // w1, w3: 1152 × 6144 int8 + 1152 f32 scales; w2: 6144 × 1152 int8 + 6144 f32 scales (its rows are whole)
  EXPECT_EQ(int8.per_gpu.experts, 80ull * 32 * (2 * (1152ull * 6144 + 4 * 1152) + (6144ull * 1152 + 4 * 6144)));
  EXPECT_EQ(int8.per_gpu.total(), 68288623680ull);  // 63.6 GiB
  EXPECT_TRUE(int8.fits);
}

TEST(GpuPlacement, OneGpuRefusesWithTheShortfall) {
  const GpuPlacement p = planGpuPlacement(m1(), on(1, 80));
  EXPECT_FALSE(p.fits);
  EXPECT_EQ(p.per_gpu.weights(), 912210767872ull);
  EXPECT_EQ(p.per_gpu.kv_cache, 40960000000ull);
  EXPECT_EQ(p.per_gpu.lightning_state, 293601280ull);
  EXPECT_NE(p.refusal.find("does not fit: 1 × 80.0 GiB needs"), std::string::npos) << p.refusal;
  EXPECT_NE(p.refusal.find("weights 849.6 GiB"), std::string::npos) << p.refusal;
  EXPECT_NE(p.refusal.find("16 such GPUs would fit"), std::string::npos) << p.refusal;
}

TEST(GpuPlacement, SixteenGpusReplicateKvHeads) {
  const GpuPlacement p16 = planGpuPlacement(m1(), on(16, 80));
  const GpuPlacement p8 = planGpuPlacement(m1(), on(8, 80));
  EXPECT_EQ(p16.per_gpu.kv_cache, p8.per_gpu.kv_cache);  // 8 KV heads: one per GPU, each on two GPUs
  EXPECT_EQ(p16.per_gpu.lightning_state * 2, p8.per_gpu.lightning_state);
  EXPECT_TRUE(p16.fits);
}

TEST(GpuPlacement, SplitsThatDoNotDivideAreRefused) {
  const GpuPlacement p = planGpuPlacement(m1(), on(3, 141));
  EXPECT_FALSE(p.fits);
  EXPECT_NE(p.not_possible.find("64 attention heads do not split over 3 ranks"), std::string::npos) << p.not_possible;
  EXPECT_NE(p.refusal.find("cannot place the model on 3 GPUs"), std::string::npos) << p.refusal;
}

}  // namespace
}  // namespace folio::engine
